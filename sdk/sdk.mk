# mica SDK: build a root task with Debian's riscv64-unknown-elf-gcc and
# picolibc (packages gcc-riscv64-unknown-elf, picolibc-riscv64-unknown-elf).
#
# A program's Makefile sets what to build and includes this file:
#
#   PROGRAM := hello                      # the ELF's name
#   SRCS    := hello.c                    # the program's sources
#   OUT     := ../../images/hello.elf     # optional; default build/$(PROGRAM).elf
#   include ../../sdk/sdk.mk
#
# which gives `all` (build OUT) and `clean`. To use only the flags and the
# link recipe (e.g. several programs in one Makefile), include this file
# without setting PROGRAM and write rules like:
#
#   build/%.elf: src/%.c $(MICA_DEPS)
#   	$(MICA_LINK) $<
#
# Options (on the command line or before the include):
#   MICA_ISA   rv64gc (default; ABI lp64d) or rv64imac (ABI lp64)
#   MICA_OPT   optimisation flags, default -O2
#   MICA_WERROR  -Werror (default): warnings fail the build; set it empty
#              for code that calls deprecated libsel4 functions
#   CFLAGS, LDFLAGS   extra flags for the compile and the link
#
# Output is a static ELF laid out by link/root-task.ld, byte-identical from
# one build to the next: no build id, no timestamps, and no temporary names
# in the symbol table (every .S file names itself with a .file directive).

MICA_SDK := $(patsubst %/,%,$(dir $(lastword $(MAKEFILE_LIST))))

MICA_CC ?= riscv64-unknown-elf-gcc
MICA_ISA ?= rv64gc
MICA_OPT ?= -O2
MICA_WERROR ?= -Werror

# The ABI follows the ISA. Recursive (=) so that a target-specific
# MICA_ISA (build/x-imac.elf: MICA_ISA := rv64imac) changes the flags too.
MICA_ABI_rv64gc := lp64d
MICA_ABI_rv64imac := lp64
MICA_ABI = $(or $(MICA_ABI_$(MICA_ISA)),$(error MICA_ISA=$(MICA_ISA): choose rv64gc or rv64imac))
ifeq ($(MICA_ABI_$(MICA_ISA)),)
$(error MICA_ISA=$(MICA_ISA): choose rv64gc or rv64imac)
endif

MICA_RUNTIME_SRCS := $(addprefix $(MICA_SDK)/runtime/,crt0.S start.c tls.c exit.c stdio.c alloc.c thread.c process.c)
MICA_LDSCRIPT := $(MICA_SDK)/link/root-task.ld

# Everything a root task's build depends on besides its own sources.
MICA_DEPS := $(MICA_RUNTIME_SRCS) $(MICA_LDSCRIPT) $(MICA_SDK)/sdk.mk \
  $(wildcard $(MICA_SDK)/runtime/include/*.h $(MICA_SDK)/runtime/include/*/*.h \
             $(MICA_SDK)/include/sel4/*.h $(MICA_SDK)/include/sel4/*/*.h \
             $(MICA_SDK)/include/sel4/*/*/*.h)

# picolibc.specs: picolibc's headers and libc.a, and -ftls-model=local-exec.
# -nostartfiles: our crt0.S replaces picolibc's crt0 (written for M-mode).
MICA_CFLAGS = --specs=picolibc.specs -march=$(MICA_ISA) -mabi=$(MICA_ABI) -mcmodel=medany \
  -fno-pic -fno-pie -static $(MICA_OPT) -ffunction-sections -fdata-sections \
  -Wall -Wextra $(MICA_WERROR) \
  -I$(MICA_SDK)/include -I$(MICA_SDK)/runtime/include
MICA_LDFLAGS := -nostartfiles -no-pie -T $(MICA_LDSCRIPT) -Wl,--build-id=none \
  -Wl,--gc-sections -Wl,--strip-debug -Wl,-z,noexecstack -Wl,--no-warn-rwx-segments

# $(MICA_LINK) SOURCES...: compile and link the runtime and SOURCES into $@.
MICA_LINK = mkdir -p $(dir $@) && \
  $(MICA_CC) $(MICA_CFLAGS) $(CFLAGS) $(MICA_LDFLAGS) $(LDFLAGS) -o $@ $(MICA_RUNTIME_SRCS)

ifdef PROGRAM
OUT ?= build/$(PROGRAM).elf

all: $(OUT)

$(OUT): $(SRCS) $(MICA_DEPS) $(firstword $(MAKEFILE_LIST))
	$(MICA_LINK) $(SRCS)

clean:
	rm -f $(OUT)

.PHONY: all clean
endif
