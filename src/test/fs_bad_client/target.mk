TARGET := test-fs_bad_client
SRC_C  := main.c
LIBS   := base util os
