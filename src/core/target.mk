TARGET := core
SRC_C  := main.c ds.c pd.c services.c parent.c ../platform/$(PLATFORM)/core_linux.c ../platform/$(PLATFORM)/sandbox.c
LIBS   := base util
TARGET_PRIVATE_INC := -I$(ROOT)/src/lib/base/include $(PLAT_INC) -I$(ROOT)/src/core
TARGET_LDLIBS := -lseccomp
