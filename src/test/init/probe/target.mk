TARGET := test-init_probe
SRC_C  := main.c
LIBS   := base util
