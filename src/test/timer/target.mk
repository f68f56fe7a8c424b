TARGET := test-timer
SRC_C  := main.c
LIBS   := base util os
