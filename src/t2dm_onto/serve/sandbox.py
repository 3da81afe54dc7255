"""No network for query workers: a seccomp filter that refuses them Internet sockets.

Federation (``SERVICE``) is refused before any parser by
:mod:`t2dm_onto.sparql_guard`; this is the second wall, should a spelling ever
slip past that scanner. A worker needs no network (it talks to the server over
a pipe made before it started), so creating an IPv4 or IPv6 socket fails with
EACCES in it, and the SPARQL engine's HTTP client cannot connect anywhere.

Linux on x86-64 and AArch64 only (the syscall numbers differ by architecture);
elsewhere :func:`deny_network` does nothing and says so by returning False.
"""

from __future__ import annotations

import ctypes
import errno
import platform
import socket
import struct
import sys

#: Per machine: (AUDIT_ARCH_* value, number of the socket() syscall).
_ARCHES = {"x86_64": (0xC000003E, 41), "aarch64": (0xC00000B7, 198)}
_LD_W_ABS, _JEQ_K, _RET_K = 0x20, 0x15, 0x06
_ALLOW, _DENY = 0x7FFF0000, 0x00050000 | errno.EACCES  # SECCOMP_RET_ALLOW, SECCOMP_RET_ERRNO | EACCES
_PR_SET_NO_NEW_PRIVS, _PR_SET_SECCOMP, _SECCOMP_MODE_FILTER = 38, 22, 2


class _Program(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


def deny_network() -> bool:
    """Refuse AF_INET and AF_INET6 sockets to this thread and every thread it starts; False where unsupported."""
    arch = _ARCHES.get(platform.machine())
    if not sys.platform.startswith("linux") or arch is None:
        return False
    audit_arch, socket_nr = arch
    steps = [  # (code, jump if true, jump if false, k); offsets into struct seccomp_data
        (_LD_W_ABS, 0, 0, 4),  # the architecture
        (_JEQ_K, 0, 5, audit_arch),
        (_LD_W_ABS, 0, 0, 0),  # the syscall number
        (_JEQ_K, 0, 3, socket_nr),
        (_LD_W_ABS, 0, 0, 16),  # socket()'s first argument: the address family
        (_JEQ_K, 2, 0, socket.AF_INET),
        (_JEQ_K, 1, 0, socket.AF_INET6),
        (_RET_K, 0, 0, _ALLOW),
        (_RET_K, 0, 0, _DENY),
    ]
    code = ctypes.create_string_buffer(b"".join(struct.pack("HBBI", *step) for step in steps))
    program = _Program(len(steps), ctypes.cast(code, ctypes.c_void_p))
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        return False
    return libc.prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.byref(program), 0, 0) == 0
