/*
 * Fornax example host: the part of a host program that does not depend on how the kernel is reached
 * (fornax_host_uio.c on Zynq, fornax_host_xrt.cpp on Alveo). Portable C99.
 */
#ifndef FORNAX_HOST_H
#define FORNAX_HOST_H

#include <stdio.h>

#include "fornax_driver.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Copies a file (a weight image) to device memory at addr in 1 MB pieces; returns its size, or -1. */
long fornax_host_load_file(const fornax_shim *shim, uint64_t addr, const char *path);

/* Bytes of a file, or -1. */
long fornax_host_file_size(const char *path);

/* Checks the device (fornax_design.h's DESIGN_ID), runs the prompt `ids` ("1,403,407") for up to
   max_new tokens with the design's EOS ids, prints the generated ids, the stop reason and the
   counters to out; returns a process exit code (0: stopped on length or EOS). */
int fornax_host_generate(const fornax_shim *shim, const fornax_layout *layout, const char *ids, unsigned max_new,
                         int ignore_eos, FILE *out);

#ifdef __cplusplus
}
#endif
#endif
