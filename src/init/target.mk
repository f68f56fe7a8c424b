TARGET := init
SRC_C  := main.c reconfig.c keep.c config.c route.c prio.c child.c parent.c session.c call.c local.c
LIBS   := base util
