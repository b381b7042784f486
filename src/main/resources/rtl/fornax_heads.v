// Per-head BFP14 and rotate-half RoPE (IntOps.headBfp, IntOps.rope) of a q, k or v vector held as
// Q16 values in the scratch memory. Head hh's shift s = max(0, bitlen(max|v|) - 14) comes from the
// maximum the matrix engine tracked while writing that head; mantissas are clampSym(rshr(v, s), 14)
// and the head exponent is s - 16. With rope_en, pairs (i, i + HD/2) are rotated:
//   r_i = rshr(a*C - b*S, 14), r_{i+HD/2} = rshr(b*C + a*S, 14), C/S the Q14 table of this position.
// One pair per cycle; results leave as (head, pair index, a', b').
module fornax_heads #(
    parameter integer HD = 8,
    parameter integer HAW = 4,          // head index bits
    parameter integer SAW = 8,          // scratch address bits
    parameter integer CTX = 64,
    parameter integer RAW = 9,          // rope table address bits
    parameter COS_FILE = "cos.mem",
    parameter SIN_FILE = "sin.mem"
) (
    input wire clk,
    input wire rst,
    input wire start,
    input wire [HAW-1:0] nheads,
    input wire [SAW-1:0] sbase,
    input wire rope_en,
    input wire [RAW-1:0] rbase,         // pos * HD/2
    output reg done,
    // per-head maximum bit counts (combinational read)
    output wire [HAW-1:0] hm_raddr,
    input wire [6:0] hm_rdata,
    // two scratch read ports (1-cycle latency)
    output wire [SAW-1:0] sa_raddr,
    input wire signed [31:0] sa_rdata,
    output wire [SAW-1:0] sb_raddr,
    input wire signed [31:0] sb_rdata,
    // results
    output reg o_we,
    output reg [HAW-1:0] o_head,
    output reg [7:0] o_i,
    output reg signed [15:0] o_a,
    output reg signed [15:0] o_b,
    output reg e_we,
    output reg [HAW-1:0] e_head,
    output reg signed [11:0] e_val
);
`include "fornax_fn.vh"

    localparam integer HALF = HD / 2;
    localparam integer LAST_INT = HALF - 1;
    localparam [7:0] LAST_I = LAST_INT[7:0];
    localparam integer TAB = CTX * HALF;

    reg run;
    reg [HAW-1:0] hh, nheads_q;
    reg [7:0] pi;
    reg [SAW-1:0] hbase;
    reg rope_q;
    reg [RAW-1:0] rbase_q;

    assign hm_raddr = hh;
    assign sa_raddr = hbase + {{(SAW-8){1'b0}}, pi};
    assign sb_raddr = hbase + {{(SAW-8){1'b0}}, pi} + HALF[SAW-1:0];
    wire [RAW-1:0] raddr = rbase_q + {{(RAW-8){1'b0}}, pi};
    wire [15:0] cos_v, sin_v;
    fornax_rom #(.WIDTH(16), .DEPTH(TAB), .AW(RAW), .FILE(COS_FILE)) cos_rom (
        .clk(clk), .addr(raddr), .data(cos_v));
    fornax_rom #(.WIDTH(16), .DEPTH(TAB), .AW(RAW), .FILE(SIN_FILE)) sin_rom (
        .clk(clk), .addr(raddr), .data(sin_v));
    wire [6:0] s_now = fn_bfp_shift(hm_rdata, 7'd14);

    // stage 1: data arrives
    reg v1, last1;
    reg [HAW-1:0] h1;
    reg [7:0] i1;
    reg [6:0] s1;
    always @(posedge clk) begin
        v1 <= run && !rst;
        last1 <= run && (pi == LAST_I) && (hh == nheads_q - 1'b1);
        h1 <= hh;
        i1 <= pi;
        s1 <= s_now;
    end
    wire signed [63:0] ra = fn_rshr64({{32{sa_rdata[31]}}, sa_rdata}, s1);
    wire signed [63:0] rb = fn_rshr64({{32{sb_rdata[31]}}, sb_rdata}, s1);

    // stage 2: mantissas and table words registered
    reg v2, last2;
    reg [HAW-1:0] h2;
    reg [7:0] i2;
    reg signed [15:0] ma2, mb2, c2, sn2;
    always @(posedge clk) begin
        v2 <= v1 && !rst;
        last2 <= last1;
        h2 <= h1;
        i2 <= i1;
        ma2 <= fn_clamp14(ra);
        mb2 <= fn_clamp14(rb);
        c2 <= cos_v;
        sn2 <= sin_v;
    end

    // stage 3: products
    reg v3, last3;
    reg [HAW-1:0] h3;
    reg [7:0] i3;
    reg signed [15:0] ma3, mb3;
    reg signed [31:0] ac3, bs3, bc3, as3;
    always @(posedge clk) begin
        v3 <= v2 && !rst;
        last3 <= last2;
        h3 <= h2;
        i3 <= i2;
        ma3 <= ma2;
        mb3 <= mb2;
        ac3 <= ma2 * c2;
        bs3 <= mb2 * sn2;
        bc3 <= mb2 * c2;
        as3 <= ma2 * sn2;
    end
    wire signed [32:0] d_a = {ac3[31], ac3} - {bs3[31], bs3};
    wire signed [32:0] d_b = {bc3[31], bc3} + {as3[31], as3};
    wire signed [63:0] r_a = fn_rshr64({{31{d_a[32]}}, d_a}, 7'd14);
    wire signed [63:0] r_b = fn_rshr64({{31{d_b[32]}}, d_b}, 7'd14);
    wire _unused_ok = &{1'b0, r_a[63:16], r_b[63:16]};

    // stage 4: results
    always @(posedge clk) begin
        o_we <= v3 && !rst;
        o_head <= h3;
        o_i <= i3;
        o_a <= rope_q ? r_a[15:0] : ma3;
        o_b <= rope_q ? r_b[15:0] : mb3;
        done <= last3 && v3 && !rst;
    end

    // sequencing and head exponents
    always @(posedge clk) begin
        e_we <= 1'b0;
        if (start) begin
            run <= 1'b1;
            hh <= {HAW{1'b0}};
            pi <= 8'd0;
            hbase <= sbase;
            nheads_q <= nheads;
            rope_q <= rope_en;
            rbase_q <= rbase;
        end else if (run) begin
            if (pi == 8'd0) begin
                e_we <= 1'b1;
                e_head <= hh;
                e_val <= {5'd0, s_now} - 12'sd16;
            end
            if (pi == LAST_I) begin
                pi <= 8'd0;
                hh <= hh + 1'b1;
                hbase <= hbase + HD[SAW-1:0];
                if (hh == nheads_q - 1'b1) run <= 1'b0;
            end else begin
                pi <= pi + 8'd1;
            end
        end
        if (rst) begin
            run <= 1'b0;
            e_we <= 1'b0;
        end
    end
endmodule
