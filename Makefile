# Makefile - builds every library, component, unit test and fuzzer of Cairn
#
# Targets are named like the original's source paths: `make core init
# server/report_rom test/hello`.  A component lives in src/<path>/ with a
# target.mk (TARGET, SRC_C, LIBS); a library in src/lib/<name>/lib.mk.
# Output goes to $(BUILD) (binaries in $(BUILD)/bin).
#
#   make                    everything
#   make unit               unit tests (add SANITIZE=1 for ASan/UBSan)
#   make fuzz               libFuzzer targets (clang)
#   make run/<name>         run run/<name>.run with the run tool
#   make test               the whole test suite (see tool/test_all)

ROOT     := $(patsubst %/,%,$(dir $(abspath $(lastword $(MAKEFILE_LIST)))))
BUILD    ?= $(ROOT)/build/linux
B        := $(abspath $(BUILD))
PLATFORM ?= linux

include $(ROOT)/mk/build.mk
