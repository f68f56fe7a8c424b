/* errors.c - names of result codes */

#include <base/errors.h>

const char *cairn_err_str(int code)
{
	switch (code) {
	case CAIRN_OK:               return "ok";
	case CAIRN_ERR_IPC:          return "Ipc_error";
	case CAIRN_ERR_OPCODE:       return "Invalid_opcode";
	case CAIRN_ERR_MSG:          return "Malformed_message";
	case CAIRN_ERR_DENIED:       return "Service_denied";
	case CAIRN_ERR_QUOTA:        return "Quota_exceeded";
	case CAIRN_ERR_UNAVAILABLE:  return "Unavailable";
	case CAIRN_ERR_METADATA:     return "Out_of_metadata";
	case CAIRN_ERR_INVALID_ARGS: return "Invalid_args";
	case CAIRN_ERR_NO_MEMORY:    return "Out_of_memory";
	}
	return "error";
}
