TARGET := log_tee
SRC_C  := main.c
LIBS   := base util
