TARGET := init
SRC_C  := main.c reconfig.c config.c route.c prio.c child.c parent.c session.c local.c
LIBS   := base util
