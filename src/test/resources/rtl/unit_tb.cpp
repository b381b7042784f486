// Drives the scalar units (fornax_requant, fornax_activate) of unit_top with one vector per cycle
// and prints each result with its tag. usage: Vunit IN OUT ; IN lines "acc m sh g", OUT lines "tag y a".
#include <verilated.h>
#include "Vunit_top.h"
#include <cstdio>
#include <cstdint>
#include <vector>

int main(int argc, char** argv) {
    Verilated::commandArgs(1, argv);
    FILE* in = fopen(argv[1], "r");
    FILE* out = fopen(argv[2], "w");
    if (!in || !out) return 2;
    std::vector<long long> acc, g;
    std::vector<int> m, sh;
    long long a, gg;
    int mm, ss;
    while (fscanf(in, "%lld %d %d %lld", &a, &mm, &ss, &gg) == 4) { acc.push_back(a); m.push_back(mm); sh.push_back(ss); g.push_back(gg); }
    Vunit_top* t = new Vunit_top;
    t->rst = 1;
    for (int i = 0; i < 3; i++) { t->clk = 0; t->eval(); t->clk = 1; t->eval(); }
    t->rst = 0;
    size_t n = acc.size();
    for (size_t c = 0; c < n + 16; c++) {
        t->in_valid = c < n;
        if (c < n) {
            t->acc = (uint64_t) acc[c] & 0xFFFFFFFFFFFFULL;
            t->m = m[c];
            t->sh = sh[c] & 0xFFF;
            t->g = (uint32_t) g[c];
            t->tag = (uint32_t) c;
        }
        t->clk = 0; t->eval();
        if (t->rq_valid) fprintf(out, "R %u %d\n", t->rq_tag, (int32_t) t->rq_y);
        if (t->act_valid) fprintf(out, "A %u %d\n", t->act_tag, (int32_t) t->act_a);
        t->clk = 1; t->eval();
    }
    fclose(out);
    delete t;
    return 0;
}
