TARGET := rtc_drv
SRC_C  := main.c civil.c $(PLATFORM)/host_clock.c
LIBS   := base util
TARGET_PRIVATE_INC := -I$(ROOT)/src/drivers/rtc
