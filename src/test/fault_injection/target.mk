TARGET := test-fault_injection
SRC_C  := main.c
LIBS   := base util
