TARGET := timer
SRC_C  := main.c scheduler.c $(PLATFORM)/timer_fd.c
LIBS   := base util
TARGET_PRIVATE_INC := -I$(ROOT)/src/drivers/timer $(PLAT_INC)
