TARGET := ram_fs
SRC_C  := main.c content.c
LIBS   := base util os vfs
TARGET_PRIVATE_INC := -I$(ROOT)/src/server/ram_fs
