package dev.fornax.rtl;

/**
 * One AXI read port's part of the DRAM image: {@code bytes} bytes starting at {@code offset} in the
 * image file. The design reads the region through port i at addresses {@code w<i>_base + 0 ..
 * bytes - 1}; a board places it at any 4 KB-aligned DRAM address and drives {@code w<i>_base} with it.
 */
public record DramRegion(long offset, long bytes) {
    public DramRegion {
        if (offset < 0 || offset % 4096 != 0 || bytes <= 0) {
            throw new IllegalArgumentException("DRAM region at " + offset + " of " + bytes
                    + " bytes: the offset must be a non-negative multiple of 4096 and the size positive");
        }
    }
}
