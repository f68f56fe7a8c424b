TARGET := test-init
SRC_C  := main.c
LIBS   := rom os base util
