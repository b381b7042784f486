// Fornax example host for Alveo cards through XRT. Build on the host with XRT installed:
//   make -C driver xrt      (g++ -std=c++17 with -I$XILINX_XRT/include, linked with -lxrt_coreutil)
// Run from the design directory:
//   ./driver/fornax_host_xrt fornax.xclbin --tokens 1,403,407,261,378 -n 32
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "fornax_design.h"
#include "fornax_host.h"
#include "fornax_shim_xrt.hpp"

int main(int argc, char** argv) {
    if (argc < 4 || std::strcmp(argv[2], "--tokens") != 0) {
        std::fprintf(stderr, "usage: %s XCLBIN --tokens IDS [-n N] [--ignore-eos]\n", argv[0]);
        return 2;
    }
    unsigned maxNew = 32;
    int ignoreEos = 0;
    for (int k = 4; k < argc; k++) {
        if (std::strcmp(argv[k], "-n") == 0 && k + 1 < argc) maxNew = static_cast<unsigned>(std::strtoul(argv[++k], nullptr, 10));
        else if (std::strcmp(argv[k], "--ignore-eos") == 0) ignoreEos = 1;
    }
    FornaxXrt card(0, argv[1]);
    fornax_shim shim = card.shim();
    fornax_layout lay;
    std::memset(&lay, 0, sizeof lay);
    lay.weight_ports = FORNAX_DESIGN_WEIGHT_PORTS;
#if FORNAX_DESIGN_WEIGHT_PORTS > 0
    // (weights on chip: no image, no m_axi_w0 argument, no loop)
    static const char* const images[] = FORNAX_DESIGN_IMAGES;
    for (unsigned i = 0; i < FORNAX_DESIGN_WEIGHT_PORTS; i++) {
        long n = fornax_host_file_size(images[i]);
        if (n < 0) {
            std::fprintf(stderr, "fornax-host: cannot read %s\n", images[i]);
            return 1;
        }
        lay.weights[i] = card.alloc(FORNAX_ARG_W0 + static_cast<int>(i), static_cast<size_t>(n));
        if (fornax_host_load_file(&shim, lay.weights[i], images[i]) != n) {
            std::fprintf(stderr, "fornax-host: cannot load %s\n", images[i]);
            return 1;
        }
    }
#endif
    lay.prompt = card.alloc(FORNAX_ARG_PROMPT, 4u * FORNAX_DESIGN_CONTEXT);
    lay.output = card.alloc(FORNAX_ARG_OUTPUT, 4u * (maxNew + 1u));
    lay.logits = 0;
    return fornax_host_generate(&shim, &lay, argv[3], maxNew, ignoreEos, stdout);
}
