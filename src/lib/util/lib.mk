# lib.mk - util library: XML, argument strings, labels, policies, strings (no malloc, libc only)
SRC_C := string.c xml.c xml_gen.c args.c label.c policy.c
