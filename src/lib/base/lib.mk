# the base library: kernel-agnostic framework plus the platform's part
SRC_C := msg.c errors.c log.c heap.c parent.c pd.c signal.c rom.c root.c env.c
SRC_C += $(addprefix ../../platform/$(PLATFORM)/,cap.c inohash.c ipc_sock.c ipc_client.c ep.c ds.c misc.c start.c thread.c)
LIB_PRIVATE_INC := -I$(ROOT)/src/lib/base/include $(PLAT_INC)
