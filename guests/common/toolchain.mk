# toolchain.mk: compiler and flags for bare-metal RV64 guests; included by guests/Makefile and
# bench/guest/Makefile. Needs Debian's gcc-riscv64-unknown-elf (scripts/setup-host.sh installs it).
GUESTS_COMMON := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))

BARE_CC      ?= riscv64-unknown-elf-gcc
BARE_OBJDUMP ?= riscv64-unknown-elf-objdump
BARE_ARCH    := -march=rv64gc_zba_zbb_zbs -mabi=lp64d -mcmodel=medany
# -nostdlib -static -T link.ld: our own entry (_start in test.h / crt.S) and memory layout.
BARE_LDFLAGS := -nostdlib -static -T $(GUESTS_COMMON)/link.ld -Wl,--no-warn-rwx-segments
BARE_ASFLAGS := $(BARE_ARCH) -I$(GUESTS_COMMON)
BARE_CFLAGS  := $(BARE_ARCH) -I$(GUESTS_COMMON) -O2 -g -ffreestanding -fno-common -Wall -Wextra
# Runtime objects for C guests, without and with -DQEMU_EXIT (the verdict channel).
BARE_RT_SRC  := $(GUESTS_COMMON)/crt.S $(GUESTS_COMMON)/hv.c $(GUESTS_COMMON)/libc.c

ifeq ($(shell command -v $(BARE_CC) 2>/dev/null),)
  $(error $(BARE_CC) not found: run scripts/setup-host.sh (installs gcc-riscv64-unknown-elf))
endif
