# mk/build.mk - non-recursive build rules shared by every build directory

SHELL   := /bin/bash
CC      ?= gcc
AR      ?= ar
ifeq ($(origin CC),default)
CC := gcc
endif

WARN    := -Wall -Wextra -Werror -Wno-unused-parameter -Wshadow -Wstrict-prototypes -Wno-format-truncation
CFLAGS  := -std=c11 -D_GNU_SOURCE -O2 -g $(WARN) -I$(ROOT)/include -MMD -MP
LDFLAGS := -pthread
ifeq ($(SANITIZE),1)
CFLAGS  += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
LDFLAGS += -fsanitize=address,undefined
else
# components run sandboxed without a host file system: link them statically
COMP_LDFLAGS := -static
endif
PLAT_INC := -I$(ROOT)/src/platform/$(PLATFORM)/include

.DEFAULT_GOAL := all
.PHONY: all unit fuzz test clean
.SECONDARY:

rel = $(patsubst $(ROOT)/%,%,$1)

#
# Libraries: src/lib/<name>/lib.mk sets SRC_C (paths relative to the lib.mk's
# directory, may reach into src/platform/$(PLATFORM)/) and LIB_PRIVATE_INC.
#
LIB_MKS := $(wildcard $(ROOT)/src/lib/*/lib.mk)
define lib_template
SRC_C :=
LIB_PRIVATE_INC :=
include $1
LIB_$2_OBJ := $$(patsubst $(ROOT)/%.c,$(B)/obj/%.o,$$(abspath $$(addprefix $$(dir $1),$$(SRC_C))))
$$(LIB_$2_OBJ): PRIV_INC := $$(LIB_PRIVATE_INC)
$(B)/lib/lib$2.a: $$(LIB_$2_OBJ)
	@mkdir -p $$(@D); rm -f $$@; $(AR) rcs $$@ $$^
ALL_OBJ += $$(LIB_$2_OBJ)
endef
$(foreach m,$(LIB_MKS),$(eval $(call lib_template,$m,$(notdir $(patsubst %/,%,$(dir $m))))))

# libraries a library depends on (link order: dependents first)
LIB_DEPS_base := util
LIB_DEPS_rom := base util

#
# Components: src/<path>/target.mk sets TARGET, SRC_C, LIBS, optional
# TARGET_PRIVATE_INC and TARGET_LDLIBS. The make target is <path>.
#
TARGET_MKS := $(shell find $(ROOT)/src -name target.mk -not -path '*/lib/*' | sort)
define target_template
TARGET :=
SRC_C :=
LIBS :=
TARGET_PRIVATE_INC :=
TARGET_LDLIBS :=
include $1
T_$2_OBJ := $$(patsubst $(ROOT)/%.c,$(B)/obj/%.o,$$(abspath $$(addprefix $$(dir $1),$$(SRC_C))))
T_$2_LIBS := $$(foreach l,$$(LIBS),$(B)/lib/lib$$l.a) $$(foreach l,$$(LIBS),$$(foreach d,$$(LIB_DEPS_$$l),$(B)/lib/lib$$d.a))
$$(T_$2_OBJ): PRIV_INC := $$(TARGET_PRIVATE_INC)
$(B)/bin/$$(TARGET): T_OBJ := $$(T_$2_OBJ)
$(B)/bin/$$(TARGET): T_LIBS := $$(T_$2_LIBS)
$(B)/bin/$$(TARGET): T_LDLIBS := $$(TARGET_LDLIBS)
$(B)/bin/$$(TARGET): $$(T_$2_OBJ) $$(T_$2_LIBS)
	@mkdir -p $$(@D)
	$$(CC) $$(COMP_LDFLAGS) $$(LDFLAGS) -o $$@ $$(T_OBJ) -Wl,--start-group $$(T_LIBS) -Wl,--end-group $$(T_LDLIBS)
.PHONY: $2
$2: $(B)/bin/$$(TARGET)
ALL_BIN := $$(ALL_BIN) $(B)/bin/$$(TARGET)
ALL_OBJ += $$(T_$2_OBJ)
endef
$(foreach m,$(TARGET_MKS),$(eval $(call target_template,$m,$(patsubst src/%/target.mk,%,$(call rel,$m)))))

#
# Unit tests: test/unit/<name>.c, one program each, linked with util and
# base; built to $(B)/unit/<name>. Each exits 0 on success.
#
UNIT_SRC := $(wildcard $(ROOT)/test/unit/*.c)
UNIT_BIN := $(patsubst $(ROOT)/test/unit/%.c,$(B)/unit/%,$(UNIT_SRC))
$(B)/unit/%: $(B)/obj/test/unit/%.o $(B)/lib/libbase.a $(B)/lib/libutil.a
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $< $(B)/lib/libbase.a $(B)/lib/libutil.a
$(B)/obj/test/unit/%.o: PRIV_INC := $(PLAT_INC)
ALL_OBJ += $(patsubst $(ROOT)/%.c,$(B)/obj/%.o,$(UNIT_SRC))
unit: $(UNIT_BIN)

$(B)/obj/%.o: $(ROOT)/%.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(PRIV_INC) -c -o $@ $<

all: $(ALL_BIN) unit

#
# Fuzzers: test/fuzz/<name>.c define LLVMFuzzerTestOneInput and are linked
# with the util sources, all compiled by clang with libFuzzer.
#
FUZZ_CC     ?= clang
FUZZ_SRC    := $(wildcard $(ROOT)/test/fuzz/*.c)
FUZZ_BIN    := $(patsubst $(ROOT)/test/fuzz/%.c,$(B)/fuzz/%,$(FUZZ_SRC))
FUZZ_LIBSRC := $(wildcard $(ROOT)/src/lib/util/*.c)
FUZZ_CFLAGS := -std=c11 -D_GNU_SOURCE -g -O1 -I$(ROOT)/include $(PLAT_INC) -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
# per-target extra link libraries
FUZZ_LDLIBS_xml_expat := -lexpat
FUZZ_EXTRA_init_config := $(ROOT)/src/init/config.c $(ROOT)/src/init/route.c $(ROOT)/src/init/prio.c
$(B)/fuzz/rpc_msg: $(addprefix $(ROOT)/src/,lib/base/msg.c lib/base/errors.c $(addprefix platform/$(PLATFORM)/,ipc_sock.c cap.c inohash.c misc.c)) # extra sources of test/fuzz/rpc_msg.c
$(B)/fuzz/%: $(ROOT)/test/fuzz/%.c $(FUZZ_LIBSRC)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $^ $(FUZZ_EXTRA_$*) $(FUZZ_LDLIBS_$*)
fuzz: $(FUZZ_BIN)

#
# Run scripts: make run/<name> executes run/<name>.run with the run tool,
# from the build directory. The build directory's etc/build.conf (written by
# tool/create_builddir, created here if missing) supplies RUN_OPT, QEMU_OPT,
# REPOSITORIES and SPECS; each can be overridden on the command line.
#
-include $(B)/etc/build.conf
RUN_OPT      ?= --include boot_dir/$(PLATFORM) --include power_on/$(PLATFORM) --include log/$(PLATFORM)
RUN_REPOS     = $(or $(REPOSITORIES),$(ROOT))
RUN_ARCH     := $(shell uname -m)
RUN_SPECS     = $(or $(SPECS),genode $(PLATFORM)_$(RUN_ARCH) $(PLATFORM) $(RUN_ARCH) \
                  $(if $(filter x86_64,$(RUN_ARCH)),x86 64bit,$(if $(filter aarch64,$(RUN_ARCH)),arm_64 arm 64bit)))
run_script    = $(firstword $(wildcard $(addsuffix /run/$1.run,$(RUN_REPOS))))
run/%:
	@test -n "$(call run_script,$*)" || { echo "Error: No run script for $*"; exit 1; }
	@test -f $(B)/etc/build.conf || $(ROOT)/tool/create_builddir $(PLATFORM) BUILD_DIR=$(B) >/dev/null
	cd $(B) && $(ROOT)/tool/run/run --genode-dir $(ROOT) --name $* \
	  --specs "$(strip $(RUN_SPECS))" --repositories "$(RUN_REPOS)" \
	  --cross-dev-prefix "$(CROSS_DEV_PREFIX)" --qemu-args "$(QEMU_OPT)" \
	  $(RUN_OPT) --include $(abspath $(call run_script,$*))

test:
	$(ROOT)/tool/test_all

clean:
	rm -rf $(B)

-include $(ALL_OBJ:.o=.d)
