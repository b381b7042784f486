/*
 * Fornax example host (see fornax_host.h).
 */
#include "fornax_host.h"

#include <stdlib.h>
#include <string.h>

#include "fornax_design.h"

#define FORNAX_HOST_MAX_PROMPT 4096u

long fornax_host_file_size(const char *path) {
    long n;
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        return -1;
    }
    if (fseek(f, 0, SEEK_END) != 0) {
        fclose(f);
        return -1;
    }
    n = ftell(f);
    fclose(f);
    return n;
}

long fornax_host_load_file(const fornax_shim *shim, uint64_t addr, const char *path) {
    static unsigned char buf[1u << 20];
    long total = 0;
    size_t n;
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        return -1;
    }
    while ((n = fread(buf, 1, sizeof buf, f)) > 0u) {
        if (fornax_load(shim, addr + (uint64_t)total, buf, n) != FORNAX_OK) {
            fclose(f);
            return -1;
        }
        total += (long)n;
    }
    fclose(f);
    return total;
}

int fornax_host_generate(const fornax_shim *shim, const fornax_layout *layout, const char *ids, unsigned max_new,
                         int ignore_eos, FILE *out) {
    static uint32_t prompt[FORNAX_HOST_MAX_PROMPT];
    static const uint32_t eos[] = FORNAX_DESIGN_EOS;
    uint32_t *tokens;
    uint32_t n = 0, i;
    const char *p = ids;
    fornax_device dev;
    fornax_request rq;
    fornax_result res;
    char desc[256];
    int rc;
    while (*p != '\0') {
        char *end;
        unsigned long v = strtoul(p, &end, 10);
        if (end == p || n == FORNAX_HOST_MAX_PROMPT) {
            fprintf(stderr, "fornax-host: bad token list '%s' (comma-separated ids)\n", ids);
            return 2;
        }
        prompt[n++] = (uint32_t)v;
        p = *end == ',' ? end + 1 : end;
        if (*end != ',' && *end != '\0') {
            fprintf(stderr, "fornax-host: bad token list '%s' (comma-separated ids)\n", ids);
            return 2;
        }
    }
    if (n == 0u) {
        fprintf(stderr, "fornax-host: the prompt has no tokens\n");
        return 2;
    }
    rc = fornax_open(shim, FORNAX_DESIGN_ID, &dev);
    if (rc != FORNAX_OK) {
        fprintf(stderr, "fornax-host: %s (design id 0x%08X, expected 0x%08X)\n", fornax_strerror(rc),
                (unsigned)dev.design_id, (unsigned)FORNAX_DESIGN_ID);
        return 1;
    }
    tokens = (uint32_t *)malloc(sizeof(uint32_t) * (max_new + 1u));
    if (tokens == NULL) {
        return 1;
    }
    memset(&rq, 0, sizeof rq);
    memset(&res, 0, sizeof res);
    rq.prompt = prompt;
    rq.prompt_len = n;
    rq.max_new = max_new;
    rq.eos = eos;
    rq.n_eos = (uint32_t)(sizeof eos / sizeof eos[0]);
    rq.ignore_eos = ignore_eos;
    res.tokens = tokens;
    res.token_capacity = max_new + 1u;
    rc = fornax_run(shim, layout, &rq, &res);
    fornax_describe(&res, desc, sizeof desc);
    fprintf(out, "tokens:");
    for (i = 0; i < res.n_tokens; i++) {
        fprintf(out, "%s%u", i ? "," : " ", (unsigned)tokens[i]);
    }
    fprintf(out, "\n%s: %s\n", fornax_strerror(rc), desc);
    fprintf(out, "cycles %llu, positions %u, weight beats %llu, matrix cycles %llu, io beats %llu\n",
            (unsigned long long)res.cycles, (unsigned)res.positions, (unsigned long long)res.weight_beats,
            (unsigned long long)res.matrix_cycles, (unsigned long long)res.io_beats);
    free(tokens);
    return rc == FORNAX_OK ? 0 : 1;
}
