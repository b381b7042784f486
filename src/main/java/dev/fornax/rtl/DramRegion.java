package dev.fornax.rtl;

/**
 * One AXI read port's part of the DRAM image: {@code bytes} bytes starting at {@code offset} in
 * {@code file} (relative to the design directory). The design reads the region through port i at
 * addresses {@code w<i>_base + 0 .. bytes - 1}; a board places it at any 4 KB-aligned DRAM address
 * (e.g. in HBM pseudo-channel i or DDR bank i) and drives {@code w<i>_base} with it.
 */
public record DramRegion(String file, long offset, long bytes) {
    public DramRegion {
        if (file == null || file.isEmpty() || offset < 0 || offset % 4096 != 0 || bytes <= 0) {
            throw new IllegalArgumentException("DRAM region in '" + file + "' at " + offset + " of " + bytes
                    + " bytes: needs a file, an offset that is a non-negative multiple of 4096 and a positive size");
        }
    }
}
