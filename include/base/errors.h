/* errors.h - result codes shared by every RPC interface of the framework */
#pragma once

/*
 * Every RPC returns an int: 0 (CAIRN_OK) on success, a negative code on
 * failure. Codes -1..-99 are raised by the transport, -1000..-1099 are the
 * framework-wide exceptions below, interface-specific codes start at -1100
 * (documented in the session header that declares them).
 */
enum {
	CAIRN_OK               = 0,
	CAIRN_ERR_IPC          = -1,    /* invalid capability, dissolved object, dead server */
	CAIRN_ERR_OPCODE       = -2,    /* the object does not implement the operation */
	CAIRN_ERR_MSG          = -3,    /* malformed request or reply (size, caps) */
	CAIRN_ERR_DENIED       = -1001, /* Service_denied: no route, no policy, bad args */
	CAIRN_ERR_QUOTA        = -1002, /* Quota_exceeded: donation or quota too small */
	CAIRN_ERR_UNAVAILABLE  = -1003, /* Unavailable: malformed service name or args */
	CAIRN_ERR_METADATA     = -1004, /* Out_of_metadata: upgrade the session and retry */
	CAIRN_ERR_INVALID_ARGS = -1005, /* Invalid_args: an argument is out of range */
	CAIRN_ERR_NO_MEMORY    = -1006, /* the host refused memory for a granted quota */
};

/* short name of a result code for log messages, e.g. "Quota_exceeded" */
const char *cairn_err_str(int code);
