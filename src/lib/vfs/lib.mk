# lib.mk - VFS library: directory stacking, the built-in plugins, the File_system server core
SRC_C := vfs.c single.c simple.c devices.c random.c ram.c chunks.c tar.c fs.c fs_server.c
