# Sourced by ./hv, ./mvnw and ./run-tests: exports JAVA_HOME pointing at a JDK 25.
# Why: the machine's default java is 17, and HV targets --release 25. A person must
# never have to set JAVA_HOME by hand, so we look in the usual places ourselves.
hv_is_jdk25() {
  [ -n "$1" ] && [ -x "$1/bin/javac" ] && [ -f "$1/release" ] && grep -q '^JAVA_VERSION="25' "$1/release"
}
hv_find_jdk25() {
  local candidate
  for candidate in "${HV_JAVA_HOME:-}" "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25* /usr/lib/jvm/java-25* /usr/lib/jvm/*25* /opt/java/*25* "$HOME"/.sdkman/candidates/java/25*; do
    if hv_is_jdk25 "$candidate"; then echo "$candidate"; return 0; fi
  done
  return 1
}
if ! JAVA_HOME="$(hv_find_jdk25)"; then
  echo "hv: no JDK 25 found (looked at \$HV_JAVA_HOME, \$JAVA_HOME, /usr/lib/jvm/*25*); install a JDK 25, e.g. Temurin 25" >&2
  exit 3
fi
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"
