// The requantiser of NUMERICS.md (IntOps.requant): value acc*M*2^-sh, rounded half up, saturated to
// int32. The accumulator is first rounded to 23 magnitude bits (leading-bit count t, then a
// rounding shift) so that the multiply is one 25x18 DSP. Fully pipelined: one result per cycle,
// latency LATENCY (9); a tag travels with each value. No stage holds more than one carry chain,
// one barrel shifter or one leading-bit count (docs/HARDWARE.md "Pipelines"):
//   1 f = acc ^ sign (the magnitude bits of bitlen)
//   2 t = ulen(f >> 23) = max(0, bitlen(acc) - 23)
//   3 y = (2*acc) >>> t; n = sh - t           4 a = (y + 1) >>> 1 = rshr(acc, t); n clamped
//   5 DSP M register: a*M                     6 DSP P register
//   7 right: {p,0} >>> n; left: p <<< -n       8 right: round; left: saturate
//   9 right: saturate; select
module fornax_requant #(
    parameter integer TAG_W = 1
) (
    input wire clk,
    input wire rst,
    input wire in_valid,
    input wire signed [47:0] acc,
    input wire [16:0] m,
    input wire signed [11:0] sh,
    input wire [TAG_W-1:0] in_tag,
    output reg out_valid,
    output reg signed [31:0] y,
    output reg [TAG_W-1:0] out_tag
);
`include "fornax_fn.vh"

    localparam integer LATENCY = 9;
    // valid and tag travel in a shift register beside the data
    reg [LATENCY-2:0] v_sr;
    reg [TAG_W-1:0] tag_sr [0:LATENCY-2];
    integer k;
    always @(posedge clk) begin
        v_sr <= {v_sr[LATENCY-3:0], in_valid} & {(LATENCY-1){!rst}};
        tag_sr[0] <= in_tag;
        for (k = 1; k < LATENCY - 1; k = k + 1) tag_sr[k] <= tag_sr[k-1];
        out_valid <= v_sr[LATENCY-2] && !rst;
        out_tag <= tag_sr[LATENCY-2];
    end

    // 1: sign fold
    reg signed [47:0] acc1;
    reg [24:0] f1;
    reg [16:0] m1;
    reg signed [11:0] sh1;
    always @(posedge clk) begin
        acc1 <= acc;
        f1 <= acc[47:23] ^ {25{acc[47]}};
        m1 <= m;
        sh1 <= sh;
    end

    // 2: t = ulen(f >> 23) (0..25)
    reg signed [47:0] acc2;
    reg [4:0] t2;
    reg [16:0] m2;
    reg signed [11:0] sh2;
    wire [6:0] t_c = fn_ulen32({7'd0, f1});
    always @(posedge clk) begin
        acc2 <= acc1;
        t2 <= t_c[4:0];
        m2 <= m1;
        sh2 <= sh1;
    end

    // 3: y = floor(2*acc / 2^t), |y| < 2^25 since bitlen(acc) <= 23 + t; n = sh - t
    reg signed [25:0] y3;
    reg [16:0] m3;
    reg signed [12:0] n3;
    wire signed [48:0] acc_x2 = {acc2, 1'b0};
    wire signed [48:0] y_c = acc_x2 >>> t2;
    always @(posedge clk) begin
        y3 <= y_c[25:0];
        m3 <= m2;
        n3 <= {sh2[11], sh2} - {8'd0, t2};
    end

    // 4: a = (y + 1) >>> 1 = rshr(acc, t), |a| <= 2^23; shift amounts clamped (rshr by 44 or more
    // of a 43-bit product is 0; a left shift by 32 or more of a nonzero product saturates)
    reg signed [24:0] a4;
    reg [16:0] m4;
    reg neg4;
    reg [5:0] nr4, nl4;
    wire signed [25:0] y_r = y3 + 26'sd1;
    wire [5:0] neg_n = 6'd0 - n3[5:0];       // -n when -32 <= n < 0
    wire _unused_y = &{1'b0, y_r[0], y_c[48:26], t_c[6:5]};
    always @(posedge clk) begin
        a4 <= y_r[25:1];
        m4 <= m3;
        neg4 <= n3[12];
        nr4 <= n3[12] ? 6'd0 : ((n3[11:6] != 6'd0 || n3[5:0] > 6'd44) ? 6'd44 : n3[5:0]);
        nl4 <= !n3[12] ? 6'd0 : ((n3[12:5] != 8'hff) ? 6'd32 : neg_n);
    end

    // 5, 6: p = a*M (25 x 18 signed, the DSP's M and P registers)
    reg signed [42:0] p5, p6;
    reg neg5, neg6;
    reg [5:0] nr5, nl5, nr6, nl6;
    wire signed [17:0] m_s = {1'b0, m4};
    always @(posedge clk) begin
        p5 <= a4 * m_s;
        p6 <= p5;
        neg5 <= neg4;
        neg6 <= neg5;
        nr5 <= nr4;
        nl5 <= nl4;
        nr6 <= nr5;
        nl6 <= nl5;
    end

    // 7: the shifts. right: z = floor(2p / 2^n); left: q = p * 2^k (k <= 32)
    reg signed [43:0] z7;
    reg signed [74:0] q7;
    reg neg7;
    wire signed [43:0] p_x2 = {p6, 1'b0};
    wire signed [74:0] p_wide = {{32{p6[42]}}, p6};
    always @(posedge clk) begin
        z7 <= p_x2 >>> nr6;
        q7 <= p_wide <<< nl6;
        neg7 <= neg6;
    end

    // 8: right: r = (z + 1) >>> 1 = rshr(p, n); left: sat32(q) (q fits int32 iff bits 74..31 agree)
    reg signed [42:0] r8;
    reg signed [31:0] yl8;
    reg neg8;
    wire signed [43:0] z_r = z7 + 44'sd1;
    wire q_fits = (q7[74:31] == {44{1'b0}}) || (q7[74:31] == {44{1'b1}});
    always @(posedge clk) begin
        r8 <= z_r[43:1];
        yl8 <= q_fits ? q7[31:0] : (q7[74] ? 32'sh80000000 : 32'sh7fffffff);
        neg8 <= neg7;
    end

    // 9: right: sat32(r); select
    wire r_fits = (r8[42:31] == {12{1'b0}}) || (r8[42:31] == {12{1'b1}});
    wire signed [31:0] yr8 = r_fits ? r8[31:0] : (r8[42] ? 32'sh80000000 : 32'sh7fffffff);
    wire _unused_z = &{1'b0, z_r[0]};
    always @(posedge clk) y <= neg8 ? yl8 : yr8;
endmodule
