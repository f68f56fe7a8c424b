TARGET := test-rtc
SRC_C  := main.c
LIBS   := base util os
