/* A stand-in for Windows' bcryptprimitives.dll, for running boussole under
 * Debian 12's Wine 8.0 only: Rust programs (since Rust 1.78) take their
 * random bytes from its ProcessPrng, which that Wine does not have. This one
 * answers with RtlGenRandom (advapi32), which Wine has. Never shipped. */
#include <windows.h>
#include <ntsecapi.h>

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) {
    while (len > 0) {
        ULONG chunk = len > 0x10000000 ? 0x10000000 : (ULONG)len;
        if (!RtlGenRandom(data, chunk)) return FALSE;
        data += chunk;
        len -= chunk;
    }
    return TRUE;
}
