# debian-apt.sh: apt-get against Debian's trixie riscv64 archive through a SIDE configuration
# in $APTDIR (sourced by scripts/fetch-guest.sh and scripts/fetch-sysroot.sh).
# The side configuration has its own sources.list, package lists, package cache and an empty
# dpkg status, with APT::Architecture=riscv64: the host's apt state is never read or written
# and no root is needed. The mirror is the host's own Debian mirror (its apt sources) or
# $HV_DEBIAN_MIRROR, so no host name is written in this repository.
# The caller defines die() and log(), and sets APTDIR.

DEBIAN_SUITE=trixie
DEBIAN_KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg

# The host's main Debian archive URL (not debian-security, ports or third-party repositories).
debian_mirror() {
  if [ -n "${HV_DEBIAN_MIRROR:-}" ]; then echo "${HV_DEBIAN_MIRROR%/}"; return; fi
  local files=() f
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
    [ -r "$f" ] && files+=("$f")
  done
  [ "${#files[@]}" -gt 0 ] || return 1
  # One-line format: deb [options] URI suite ...; deb822 format: URIs: URI ...
  sed -e 's/#.*//' "${files[@]}" |
    awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z+]+:\/\//) { print $i; break } }
         $1 == "URIs:" { for (i = 2; i <= NF; i++) print $i }' |
    sed 's:/*$::' | grep -E '^(https?|file)://[^ ]*/debian$' | head -n 1
}

# Serializes users of $APTDIR (apt runs with Debug::NoLocking, so we lock ourselves).
apt_side_lock() {
  mkdir -p "$APTDIR"
  exec {APT_SIDE_LOCK_FD}>"$APTDIR/.lock"
  if command -v flock >/dev/null 2>&1; then flock "$APT_SIDE_LOCK_FD"; fi
}

apt_side() { APT_CONFIG="$APTDIR/apt.conf" "$@"; }

apt_side_config() {
  local mirror="$1"
  mkdir -p "$APTDIR"/etc/{sources.list.d,preferences.d,apt.conf.d,trusted.gpg.d} \
           "$APTDIR"/lists/partial "$APTDIR"/archives/partial
  [ -e "$APTDIR/status" ] || : >"$APTDIR/status"
  echo "deb [arch=riscv64 signed-by=$DEBIAN_KEYRING] $mirror $DEBIAN_SUITE main" >"$APTDIR/etc/sources.list"
  # APT_CONFIG is read first and moves Dir::Etc, so the host's apt.conf.d is not read either.
  cat >"$APTDIR/apt.conf" <<EOC
Dir::Etc "$APTDIR/etc";
Dir::Etc::sourcelist "sources.list";
Dir::Etc::sourceparts "sources.list.d";
Dir::Etc::parts "apt.conf.d";
Dir::Etc::preferences "preferences";
Dir::Etc::preferencesparts "preferences.d";
Dir::Etc::trustedparts "trusted.gpg.d";
Dir::State "$APTDIR";
Dir::State::lists "$APTDIR/lists";
Dir::State::status "$APTDIR/status";
Dir::Cache "$APTDIR/cache";
Dir::Cache::archives "$APTDIR/archives";
APT::Architecture "riscv64";
APT::Architectures { "riscv64"; };
Acquire::Languages "none";
Acquire::Retries "2";
Debug::NoLocking "true";
APT::Sandbox::User "$(id -un)";
EOC
}

# Reads the package lists of Debian trixie riscv64 (die()s with a one-line reason if it cannot).
# Skipped when the lists are already there, unless $HV_GUEST_REFRESH is set.
apt_side_update() {
  local mirror alog="$APTDIR/apt.log"
  [ -r "$DEBIAN_KEYRING" ] || die "$DEBIAN_KEYRING missing: run scripts/setup-host.sh (package debian-archive-keyring)"
  command -v apt-get >/dev/null 2>&1 || die "apt-get not found (needs a Debian host)"
  mirror="$(debian_mirror)" || mirror=
  [ -n "$mirror" ] || die "no Debian mirror found in /etc/apt/sources.list{,.d} (set HV_DEBIAN_MIRROR=<URL of a Debian archive>)"
  apt_side_config "$mirror"
  if [ -z "${HV_GUEST_REFRESH:-}" ] && apt_side_lists_present && [ "$(cat "$APTDIR/.mirror" 2>/dev/null)" = "$mirror" ]; then
    return 0
  fi
  log "reading Debian $DEBIAN_SUITE riscv64 package lists from $mirror"
  # apt-get update may exit 0 with only warnings when a source is unreachable: check the list.
  if ! apt_side apt-get -q update >"$alog" 2>&1 || ! apt_side_lists_present ||
     grep -qE '^(E|W): (Failed|Some index)' "$alog"; then
    die "cannot read Debian's $DEBIAN_SUITE riscv64 archive at $mirror: $(grep -E '^(E|W):' "$alog" | head -n 1 | cut -c1-200)"
  fi
  echo "$mirror" >"$APTDIR/.mirror"
}

apt_side_lists_present() {
  compgen -G "$APTDIR/lists/*_dists_${DEBIAN_SUITE}_main_binary-riscv64_Packages*" >/dev/null
}

# apt_side_download DIR PACKAGE...: downloads exactly these packages (no dependencies) into DIR.
apt_side_download() {
  local dir="$1" alog="$APTDIR/apt.log"; shift
  rm -rf "$dir.new" && mkdir -p "$dir.new"
  if ! (cd "$dir.new" && apt_side apt-get -q download "$@") >>"$alog" 2>&1; then
    die "cannot download $* from Debian $DEBIAN_SUITE riscv64: $(grep -E '^(E|W):' "$alog" | tail -n 1 | cut -c1-200)"
  fi
  rm -rf "$dir" && mv "$dir.new" "$dir"
}
