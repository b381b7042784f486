// RMSNorm of the Q16 residual h[D] (IntOps.rmsnorm) into 32-bit values p_i plus an exponent; the
// final toBfp(p, 15) is applied by the matrix engine as it reads them (fornax_matvec).
//   pass 1: m_i = clampSym(rshr(h_i, s), 15), ss = sum m_i^2        (s from the residual's maximum)
//   scalar: v = ss + EPS[s]; j = floor((bitlen(v) - 31) / 2); u = v * 2^-2j;
//           R = lerp(RSQRT, (u >> 24) - 64, (u >> 8) & 0xFFFF, 16)
//   pass 2: t_i = rshr(m_i * R, 15); p_i = t_i * G_i -> x; exponent -15 - j - gk
// One element per cycle per pass. Element pipeline (stage: work), for timing (docs/HARDWARE.md):
//   0 read issued  1 block RAM  2 h and G arrive (output registers); z = 2h >>> s
//   3 m = clampSym((z + 1) >>> 1, 15)  4, 5 m*m or m*R (DSP M, P)  6 ss += m^2, or t = rshr(m*R, 15)
//   7, 8 t*G (DSP M, P)  9 P register out  10 x written; x_maxbits from fornax_maxbits on the x writes
// Scalar steps: ulen(v); j; u = v * 2^-2j; table index; RSQRT words (2); d = T[i+1] - T[i];
// d*frac (2); R = T[i] + d*frac >> 16.
module fornax_rmsnorm #(
    parameter integer D = 64,
    parameter integer EAW = 8,          // element index bits
    parameter integer GAW = 10,         // gain ROM address bits
    parameter integer NGAIN = 64,       // gain ROM depth (norms x D)
    parameter GAIN_FILE = "gain.mem",
    parameter EPS_FILE = "eps.mem",
    parameter RSQRT_FILE = "rsqrt.mem"
) (
    input wire clk,
    input wire rst,
    input wire start,
    input wire [6:0] hs,                // BFP shift of h
    input wire [GAW-1:0] gbase,         // first gain of this norm
    input wire signed [11:0] gk,
    output reg done,
    // residual read port (2-cycle latency: block RAM and its output register)
    output reg [EAW-1:0] h_raddr,
    input wire signed [31:0] h_rdata,
    // output
    output reg x_we,
    output reg [EAW-1:0] x_waddr,
    output reg signed [31:0] x_wdata,
    output reg signed [11:0] x_exp,
    output wire [6:0] x_maxbits
);
`include "fornax_fn.vh"
`include "fornax_isa.vh"

    localparam [3:0] S_IDLE = 4'd0, S_P1 = 4'd1, S_P1W = 4'd2, S_SC1 = 4'd3, S_SC2 = 4'd4,
                     S_SC3 = 4'd5, S_P2 = 4'd6, S_P2W = 4'd7, S_SC4 = 4'd8, S_SC5 = 4'd9,
                     S_SC6 = 4'd10, S_SC7 = 4'd11, S_SC8 = 4'd12, S_SC9 = 4'd13, S_SC10 = 4'd14;
    localparam integer LAST_INT = D - 1;
    localparam [EAW-1:0] LAST = LAST_INT[EAW-1:0];
    reg [3:0] state;
    reg [EAW-1:0] i;
    reg [3:0] wait_cnt;
    reg [6:0] s_q;
    reg [5:0] sc_q;                      // min(s, 33): a larger shift of 2h gives 0 or -1 too
    reg signed [11:0] gk_q;

    // constant tables
    wire [63:0] eps_v;
    fornax_rom #(.WIDTH(64), .DEPTH(`FORNAX_EPS_DEPTH), .AW(`FORNAX_EPS_AW), .FILE(EPS_FILE), .OREG(1)) eps_rom (
        .clk(clk), .addr(s_q[4:0]), .data(eps_v));
    reg [7:0] ridx, ridx1;
    wire [15:0] r_lo, r_hi;
    fornax_rom #(.WIDTH(16), .DEPTH(`FORNAX_RSQRT_DEPTH), .AW(`FORNAX_RSQRT_AW), .FILE(RSQRT_FILE), .OREG(1)) rs_lo (
        .clk(clk), .addr(ridx), .data(r_lo));
    fornax_rom #(.WIDTH(16), .DEPTH(`FORNAX_RSQRT_DEPTH), .AW(`FORNAX_RSQRT_AW), .FILE(RSQRT_FILE), .OREG(1)) rs_hi (
        .clk(clk), .addr(ridx1), .data(r_hi));
    reg [GAW-1:0] gaddr;
    wire [15:0] g_v;
    fornax_rom #(.WIDTH(16), .DEPTH(NGAIN), .AW(GAW), .FILE(GAIN_FILE), .OREG(1)) gain_rom (
        .clk(clk), .addr(gaddr), .data(g_v));

    // element pipeline: valid, pass-2 flag and address travel in shift registers
    localparam integer EL = 10;
    reg [EL-1:1] v_sr, p2_sr;
    reg [EAW-1:0] a_sr [1:EL-1];
    integer k;
    wire issuing = (state == S_P1) || (state == S_P2);
    always @(posedge clk) begin
        v_sr <= {v_sr[EL-2:1], issuing} & {(EL-1){!rst}};
        p2_sr <= {p2_sr[EL-2:1], state == S_P2};
        a_sr[1] <= i;
        for (k = 2; k < EL; k = k + 1) a_sr[k] <= a_sr[k-1];
    end
    reg signed [32:0] z3;
    reg signed [15:0] m4, g3, g4, g5, g6;
    reg signed [31:0] sq5, sq6;
    reg signed [33:0] mr5, mr6;
    reg signed [16:0] t7;
    reg signed [15:0] g7;
    reg signed [32:0] p8, p9;
    reg [47:0] ss;
    reg [16:0] rr;                       // R, <= 2^15
    wire signed [32:0] h2 = {h_rdata, 1'b0};
    wire signed [18:0] t_c = $signed(mr6[33:15]) + $signed({18'd0, mr6[14]});
    always @(posedge clk) begin
        // 2: z = floor(2h / 2^s)
        z3 <= h2 >>> sc_q;
        g3 <= g_v;
        // 3: m = clampSym(rshr(h, s), 15)
        m4 <= fn_rndclamp15(z3);
        g4 <= g3;
        // 4, 5: m*m, m*R
        sq5 <= m4 * m4;
        mr5 <= m4 * $signed({1'b0, rr});
        g5 <= g4;
        sq6 <= sq5;
        mr6 <= mr5;
        g6 <= g5;
        // 6: t = rshr(m*R, 15)
        t7 <= t_c[16:0];
        g7 <= g6;
        // 7, 8: t*G
        p8 <= t7 * g7;
        p9 <= p8;
        x_we <= v_sr[EL-1] && p2_sr[EL-1] && !rst;
        x_waddr <= a_sr[EL-1];
        x_wdata <= p9[31:0];
        if (v_sr[6] && !p2_sr[6]) ss <= ss + {16'd0, sq6};
        if (state == S_IDLE && start) ss <= 48'd0;
    end
    // an element issued in cycle k: h_rdata and g_v in k+2 (v_sr[2]), m^2 added in k+6 (v_sr[6]),
    // t*G in p9 in k+9, x written in k+10 (x_we registered from v_sr[9])
    fornax_maxbits #(.W(32)) mb_x (.clk(clk), .clear(state == S_IDLE && start), .in_valid(x_we),
        .val(x_wdata), .mbits_o(x_maxbits));

    // scalar stage
    reg [63:0] v_q, u_q;
    reg [6:0] vlen_q;
    reg signed [7:0] j_q;
    reg [15:0] frac_q;
    reg signed [16:0] rd_q;
    reg [15:0] rlo_q, rlo1, rlo2;
    reg signed [33:0] rp1, rp2;
    wire [6:0] vlen_c = (v_q[63:32] != 32'd0) ? (7'd32 + fn_ulen32(v_q[63:32])) : fn_ulen32(v_q[31:0]);
    wire signed [7:0] j_c = ($signed({1'b0, vlen_q}) - 8'sd31) >>> 1;
    wire [7:0] jj = j_q + j_q;
    wire [63:0] u_c = j_q[7] ? (v_q << (-jj)) : (v_q >> jj);
    wire signed [17:0] r_c = $signed({2'b00, rlo2}) + $signed(rp2[33:16]);
    wire _unused_ok = &{1'b0, u_q[63:32], u_q[7:0], rp2[15:0], r_c[17], t_c[18:17], p9[32],
                        sq6[31], s_q[6:5], mr6[13:0]};

    always @(posedge clk) begin
        done <= 1'b0;
        case (state)
            S_IDLE: if (start) begin
                s_q <= hs;
                sc_q <= (hs > 7'd33) ? 6'd33 : hs[5:0];
                gk_q <= gk;
                i <= {EAW{1'b0}};
                h_raddr <= {EAW{1'b0}};
                state <= S_P1;
            end
            S_P1: begin
                h_raddr <= i + 1'b1;
                i <= i + 1'b1;
                if (i == LAST) begin
                    state <= S_P1W;
                    wait_cnt <= 4'd0;
                end
            end
            S_P1W: begin
                // the last m^2 is added in stage 6 of the last element
                wait_cnt <= wait_cnt + 4'd1;
                if (wait_cnt == 4'd6) begin
                    v_q <= {16'd0, ss} + eps_v;
                    state <= S_SC1;
                end
            end
            S_SC1: begin
                vlen_q <= vlen_c;
                state <= S_SC2;
            end
            S_SC2: begin
                j_q <= j_c;
                state <= S_SC3;
            end
            S_SC3: begin
                u_q <= u_c;
                state <= S_SC4;
            end
            S_SC4: begin
                ridx <= u_q[31:24] - 8'd64;
                ridx1 <= u_q[31:24] - 8'd63;
                frac_q <= u_q[23:8];
                state <= S_SC5;
            end
            S_SC5: state <= S_SC6;  // RSQRT words in flight (block RAM, output register)
            S_SC6: state <= S_SC7;
            S_SC7: begin
                rd_q <= $signed({1'b0, r_hi}) - $signed({1'b0, r_lo});
                rlo_q <= r_lo;
                state <= S_SC8;
            end
            S_SC8: begin
                rp1 <= rd_q * $signed({1'b0, frac_q});
                rlo1 <= rlo_q;
                state <= S_SC9;
            end
            S_SC9: begin
                rp2 <= rp1;
                rlo2 <= rlo1;
                state <= S_SC10;
            end
            S_SC10: begin
                rr <= (v_q == 64'd0) ? 17'd0 : r_c[16:0];
                x_exp <= (v_q == 64'd0) ? 12'sd0
                        : -12'sd15 - {{4{j_q[7]}}, j_q} - gk_q;
                i <= {EAW{1'b0}};
                h_raddr <= {EAW{1'b0}};
                gaddr <= gbase;
                state <= S_P2;
            end
            S_P2: begin
                h_raddr <= i + 1'b1;
                gaddr <= gaddr + 1'b1;
                i <= i + 1'b1;
                if (i == LAST) begin
                    state <= S_P2W;
                    wait_cnt <= 4'd0;
                end
            end
            S_P2W: begin
                // the last x is written in stage 9; its maximum lands 3 cycles later (the core
                // sees done DONE_DLY cycles late)
                wait_cnt <= wait_cnt + 4'd1;
                if (wait_cnt == 4'd9) begin
                    done <= 1'b1;
                    state <= S_IDLE;
                end
            end
            default: state <= S_IDLE;
        endcase
        if (rst) begin
            state <= S_IDLE;
            done <= 1'b0;
        end
    end
endmodule
