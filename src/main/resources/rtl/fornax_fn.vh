// Shared arithmetic helpers in the notation of docs/NUMERICS.md. Included inside module bodies
// (Verilog-2005 has no packages). All functions are combinational and synthesizable.

// Magnitude bits of an unsigned value: 0 for 0, i+1 for a highest set bit i. A binary search
// (six steps) rather than a 64-step loop: smaller logic and much faster simulation.
function automatic [6:0] fn_ulen64;
    input [63:0] u;
    reg [63:0] xv;
    reg [6:0] n;
    begin
        xv = u;
        n = 7'd0;
        if (xv[63:32] != 32'd0) begin n = n + 7'd32; xv = xv >> 32; end
        if (xv[31:16] != 16'd0) begin n = n + 7'd16; xv = xv >> 16; end
        if (xv[15:8] != 8'd0) begin n = n + 7'd8; xv = xv >> 8; end
        if (xv[7:4] != 4'd0) begin n = n + 7'd4; xv = xv >> 4; end
        if (xv[3:2] != 2'd0) begin n = n + 7'd2; xv = xv >> 2; end
        if (xv[1]) begin n = n + 7'd1; xv = xv >> 1; end
        fn_ulen64 = n + {6'd0, xv[0]};
    end
endfunction

// ulen of a 32-bit value as a flat circuit for timing: the one-hot highest set bit (each bit
// masked by an OR of the bits above it), then each result bit an OR of the one-hot bits whose
// index + 1 has that bit. Same value as fn_ulen64 on {32'd0, u}; a few LUT levels deep.
function automatic [6:0] fn_ulen32;
    input [31:0] u;
    reg [31:0] h;
    reg [6:0] n;
    integer i;
    begin
        for (i = 0; i < 32; i = i + 1) h[i] = u[i] && ((u >> (i + 1)) == 32'd0);
        n = 7'd0;
        for (i = 0; i < 32; i = i + 1) n = n | (h[i] ? (i[6:0] + 7'd1) : 7'd0);
        fn_ulen32 = n;
    end
endfunction

// clampSym(rshr(v, s), 15) as the second half of a two-stage form: z = floor(2v / 2^s) (33 bits,
// the first stage) gives rshr(v, s) = floor((z + 1) / 2). The saturation is decided on z itself
// (m > 2^15-1 iff z >= 2^16-1; m < -(2^15-1) iff z <= -2^16) beside a 16-bit rounding add.
function automatic signed [15:0] fn_rndclamp15;
    input signed [32:0] z;
    reg [15:0] r;
    begin
        r = z[16:1] + {15'd0, z[0]};
        if (!z[32] && (z[32:16] != 17'd0 || z[15:0] == 16'hffff)) fn_rndclamp15 = 16'sd32767;
        else if (z[32] && (z[32:16] != 17'h1ffff || z[15:0] == 16'd0)) fn_rndclamp15 = -16'sd32767;
        else fn_rndclamp15 = r;
    end
endfunction

// The same for clampSym(rshr(v, s), 14): m > 2^14-1 iff z >= 2^15-1; m < -(2^14-1) iff z <= -2^15.
function automatic signed [15:0] fn_rndclamp14;
    input signed [32:0] z;
    reg [15:0] r;
    begin
        r = z[16:1] + {15'd0, z[0]};
        if (!z[32] && (z[32:15] != 18'd0 || z[14:0] == 15'h7fff)) fn_rndclamp14 = 16'sd16383;
        else if (z[32] && (z[32:15] != 18'h3ffff || z[14:0] == 15'd0)) fn_rndclamp14 = -16'sd16383;
        else fn_rndclamp14 = r;
    end
endfunction

// bitlen(x) of NUMERICS: magnitude bits of x in two's complement (0 for 0 and -1).
function automatic [6:0] fn_bitlen64;
    input signed [63:0] xv;
    begin
        fn_bitlen64 = fn_ulen64(xv[63] ? ~xv : xv);
    end
endfunction

// |x| as an unsigned 64-bit value (x > -2^63 always holds here).
function automatic [63:0] fn_abs64;
    input signed [63:0] xv;
    begin
        fn_abs64 = xv[63] ? (~xv + 64'd1) : xv;
    end
endfunction

// rshr(x, n) for n >= 0: floor((x + 2^(n-1)) / 2^n); x for n = 0; 0 for n >= 63.
function automatic signed [63:0] fn_rshr64;
    input signed [63:0] xv;
    input [6:0] n;
    reg signed [63:0] half;
    begin
        if (n == 7'd0) begin
            fn_rshr64 = xv;
        end else if (n >= 7'd63) begin
            fn_rshr64 = 64'sd0;
        end else begin
            half = 64'sd1 <<< (n - 7'd1);
            fn_rshr64 = (xv + half) >>> n;
        end
    end
endfunction

// clampSym(x, 15): clamp to +-(2^15 - 1), result as int16.
function automatic signed [15:0] fn_clamp15;
    input signed [63:0] xv;
    begin
        if (xv > 64'sd32767) fn_clamp15 = 16'sd32767;
        else if (xv < -64'sd32767) fn_clamp15 = -16'sd32767;
        else fn_clamp15 = xv[15:0];
    end
endfunction

// clampSym(x, 14): clamp to +-(2^14 - 1), result as int16.
function automatic signed [15:0] fn_clamp14;
    input signed [63:0] xv;
    begin
        if (xv > 64'sd16383) fn_clamp14 = 16'sd16383;
        else if (xv < -64'sd16383) fn_clamp14 = -16'sd16383;
        else fn_clamp14 = xv[15:0];
    end
endfunction

// sat32: saturate a 64-bit value to int32.
function automatic signed [31:0] fn_sat32;
    input signed [63:0] xv;
    begin
        if (xv > 64'sd2147483647) fn_sat32 = 32'sh7fffffff;
        else if (xv < -64'sd2147483648) fn_sat32 = 32'sh80000000;
        else fn_sat32 = xv[31:0];
    end
endfunction

// BFP shift s = max(0, bits - b) from a vector's maximum magnitude bit count.
function automatic [6:0] fn_bfp_shift;
    input [6:0] maxbits;
    input [6:0] b;
    begin
        fn_bfp_shift = (maxbits > b) ? (maxbits - b) : 7'd0;
    end
endfunction

// Elaboration-time helpers: call them in localparams only (in an always block a simulator would
// run their loops every cycle).

// Address bits of a memory of v words: ceil(log2(v)), at least 1.
function automatic integer fn_addr_bits;
    input integer v;
    integer r;
    begin
        r = 0;
        while ((1 << r) < v) r = r + 1;
        fn_addr_bits = (r < 1) ? 1 : r;
    end
endfunction

// Level of node i of a heap-ordered binary tree (root 0; children of i are 2i+1, 2i+2).
function automatic integer fn_tree_level;
    input integer i;
    integer d;
    begin
        d = 0;
        while ((2 << d) - 1 <= i) d = d + 1;
        fn_tree_level = d;
    end
endfunction
