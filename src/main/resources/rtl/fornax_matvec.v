// Matrix-vector engine: y_r = sat32(requant(sum_c W8[r][c]*m_c, M_r, k_r - e - 16) + bias_r).
//
// The input vector lives in LANES lane memories of 32-bit values (element c in lane c % LANES at
// address c / LANES) with a pending BFP shift xs: each beat reads one word per lane and converts it
// on the fly to a BFP15 mantissa clampSym(rshr(v, xs), 15), so the vector's producer never needs a
// second pass. Lanes past `cols` read as 0 (padding). Weights arrive as a stream of LANES bytes per
// beat (ROM or AXI, same format); each row's constant word {bias[31:0], 4'b0, k[11:0], M[15:0]}
// arrives on a second stream and is taken with the row's last beat.
//
// Pipeline: fire (weights + X read) -> A (beat registered; lane RAM read) -> C (lane words from the
// RAMs' output registers) -> D (z = 2v >>> xs) -> B (m = clampSym((z + 1) >>> 1, 15)) -> MAC array
// (LOG2L+2) -> requant (9) -> bias.
module fornax_matvec #(
    parameter integer LANES = 16,
    parameter integer LOG2L = 4,
    parameter integer XD = 16,      // words per lane memory
    parameter integer XAW = 4,      // address bits of a lane memory
    parameter integer EAW = 8,      // element index bits (write side)
    parameter integer RW = 24       // row index bits
) (
    input wire clk,
    input wire rst,
    // command
    input wire start,
    input wire [RW-1:0] rows,
    input wire [15:0] bpr,
    input wire [EAW-1:0] cols,
    input wire [6:0] xs,
    input wire signed [11:0] xe,    // exponent of the converted mantissas (e of NUMERICS)
    input wire hold,                // do not finish another row (output back-pressure)
    output wire busy,
    output wire streaming,          // weight beats of the current op still to take (a status only)
    output reg done,
    // weight and row-constant streams
    input wire w_valid,
    input wire [LANES*8-1:0] w_data,
    output wire w_ready,
    input wire c_valid,
    input wire [63:0] c_data,
    output wire c_ready,
    // vector write port
    input wire x_we,
    input wire [EAW-1:0] x_waddr,
    input wire signed [31:0] x_wdata,
    // results, in row order
    output reg out_valid,
    output reg [RW-1:0] out_row,
    output reg signed [31:0] out_y
);
`include "fornax_fn.vh"

    // ------------------------------------------------------------------ sequencing
    reg active;
    reg [RW-1:0] r_cnt, rows_q, out_cnt;
    reg [15:0] b_cnt, bpr_q;
    reg [EAW-1:0] cols_q;
    reg [6:0] xs_q;
    reg signed [11:0] xe_q;
    wire last_beat = (b_cnt == bpr_q - 16'd1);
    wire fire = active && w_valid && (!last_beat || (c_valid && !hold));
    assign w_ready = fire;
    assign c_ready = fire && last_beat;
    assign busy = active || (out_cnt != rows_q);
    assign streaming = active;

    always @(posedge clk) begin
        done <= 1'b0;
        if (start) begin
            active <= (rows != {RW{1'b0}});
            rows_q <= rows;
            bpr_q <= bpr;
            cols_q <= cols;
            xs_q <= xs;
            xe_q <= xe;
            r_cnt <= {RW{1'b0}};
            b_cnt <= 16'd0;
            out_cnt <= {RW{1'b0}};
        end else begin
            if (fire) begin
                if (last_beat) begin
                    b_cnt <= 16'd0;
                    r_cnt <= r_cnt + 1'b1;
                    if (r_cnt == rows_q - 1'b1) active <= 1'b0;
                end else begin
                    b_cnt <= b_cnt + 16'd1;
                end
            end
            if (out_valid) begin
                out_cnt <= out_cnt + 1'b1;
                if (out_cnt == rows_q - 1'b1) done <= 1'b1;
            end
        end
        if (rst) begin
            active <= 1'b0;
            rows_q <= {RW{1'b0}};
            out_cnt <= {RW{1'b0}};
            done <= 1'b0;
        end
    end

    // ------------------------------------------------------------------ lane memories
    wire [31:0] x_rd [0:LANES-1];
    wire [XAW-1:0] x_wa;
    wire [LANES-1:0] x_lane_we;
    generate
        if (LOG2L == 0) begin : g_one
            assign x_wa = x_waddr[XAW-1:0];
            assign x_lane_we = x_we;
        end else begin : g_many
            // zero-extended so the lane / address split works when LANES exceeds the vector
            wire [LOG2L+XAW+EAW-1:0] xw = {{(LOG2L+XAW){1'b0}}, x_waddr};
            assign x_wa = xw[LOG2L +: XAW];
            assign x_lane_we = {{(LANES-1){1'b0}}, x_we} << xw[LOG2L-1:0];
            wire _unused_hi = &{1'b0, xw};
        end
    endgenerate
    genvar gl;
    generate
        for (gl = 0; gl < LANES; gl = gl + 1) begin : g_lane
            fornax_ram #(.WIDTH(32), .DEPTH(XD), .AW(XAW), .OREG(1)) xmem (
                .clk(clk), .we(x_lane_we[gl]), .waddr(x_wa), .wdata(x_wdata),
                .re(1'b1), .raddr(b_cnt[XAW-1:0]), .rdata(x_rd[gl]));
        end
    endgenerate

    // ------------------------------------------------------------------ stage A: beat taken
    reg vA, firstA, lastA;
    reg [LANES*8-1:0] wA;
    reg [63:0] cA;
    reg [RW-1:0] rowA;
    reg [15:0] bA;
    always @(posedge clk) begin
        vA <= fire && !rst;
        if (fire) begin
            firstA <= (b_cnt == 16'd0);
            lastA <= last_beat;
            wA <= w_data;
            cA <= c_data;
            rowA <= r_cnt;
            bA <= b_cnt;
        end
    end

    // ------------------------------------------------------------------ stages C, D, B: BFP15 mantissas
    // (registers load only when their stage holds a beat: a simulator then skips them on idle cycles)
    localparam integer CW = 16 + LOG2L + 1;
    reg vC, firstC, lastC, vD, firstD, lastD;
    reg [LANES*8-1:0] wC, wD;
    reg [RW+63:0] tagC, tagD;
    reg [15:0] bC;
    reg [5:0] xsc;                  // min(xs, 33): a larger shift of 2v gives 0 or -1 as well
    always @(posedge clk) begin
        vC <= vA && !rst;
        vD <= vC && !rst;
        xsc <= (xs_q > 7'd33) ? 6'd33 : xs_q[5:0];
        if (vA) begin
            firstC <= firstA;
            lastC <= lastA;
            wC <= wA;
            tagC <= {rowA, cA};
            bC <= bA;
        end
        if (vC) begin
            firstD <= firstC;
            lastD <= lastC;
            wD <= wC;
            tagD <= tagC;
        end
    end
    wire [CW-1:0] base_col = {1'b0, bC, {LOG2L{1'b0}}};
    wire [CW-1:0] cols_w = {{(CW-EAW){1'b0}}, cols_q};
    reg vB, firstB, lastB;
    reg [LANES*8-1:0] wB;
    reg [LANES*16-1:0] xB;
    reg [RW+63:0] tagB;
    generate
        for (gl = 0; gl < LANES; gl = gl + 1) begin : g_conv
            wire [CW-1:0] col = base_col + gl[CW-1:0];
            reg signed [32:0] zD;
            reg padD;
            always @(posedge clk) begin
                if (vC) begin
                    zD <= $signed({x_rd[gl], 1'b0}) >>> xsc;
                    padD <= !(col < cols_w);
                end
                if (vD) xB[gl*16 +: 16] <= padD ? 16'sd0 : fn_rndclamp15(zD);
            end
        end
    endgenerate
    always @(posedge clk) begin
        vB <= vD && !rst;
        if (vD) begin
            firstB <= firstD;
            lastB <= lastD;
            wB <= wD;
            tagB <= tagD;
        end
    end

    // ------------------------------------------------------------------ MAC array, requant
    wire mac_v;
    wire signed [47:0] mac_acc;
    wire [RW+63:0] mac_tag;
    fornax_mac_array #(.LANES(LANES), .LOG2L(LOG2L), .TAG_W(RW + 64)) mac (
        .clk(clk), .rst(rst), .in_valid(vB), .first(firstB), .last(lastB), .w(wB), .x(xB),
        .in_tag(tagB), .out_valid(mac_v), .acc(mac_acc), .out_tag(mac_tag));

    wire [15:0] row_m = mac_tag[15:0];
    wire signed [11:0] row_k = mac_tag[27:16];
    wire signed [11:0] row_sh = row_k - xe_q - 12'sd16;
    wire rq_v;
    wire signed [31:0] rq_y;
    wire [RW+31:0] rq_tag;
    fornax_requant #(.TAG_W(RW + 32)) rq (
        .clk(clk), .rst(rst), .in_valid(mac_v), .acc(mac_acc), .m({1'b0, row_m}), .sh(row_sh),
        .in_tag({mac_tag[RW+63:64], mac_tag[63:32]}), .out_valid(rq_v), .y(rq_y), .out_tag(rq_tag));

    wire signed [31:0] bias = rq_tag[31:0];
    wire _unused_ok = &{1'b0, mac_tag[31:28]};
    always @(posedge clk) begin
        out_valid <= rq_v && !rst;
        out_row <= rq_tag[RW+31:32];
        out_y <= fn_sat32({{32{rq_y[31]}}, rq_y} + {{32{bias[31]}}, bias});
    end
endmodule
