// RMSNorm of the Q16 residual h[D] (IntOps.rmsnorm) into 32-bit values p_i plus an exponent; the
// final toBfp(p, 15) is applied by the matrix engine as it reads them (fornax_matvec).
//   pass 1: m_i = clampSym(rshr(h_i, s), 15), ss = sum m_i^2        (s from the residual's maximum)
//   scalar: v = ss + EPS[s]; j = floor((bitlen(v) - 31) / 2); u = v * 2^-2j;
//           R = lerp(RSQRT, (u >> 24) - 64, (u >> 8) & 0xFFFF, 16)
//   pass 2: t_i = rshr(m_i * R, 15); p_i = t_i * G_i -> x; exponent -15 - j - gk
// One element per cycle per pass.
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
    // residual read port (1-cycle latency)
    output reg [EAW-1:0] h_raddr,
    input wire signed [31:0] h_rdata,
    // output
    output reg x_we,
    output reg [EAW-1:0] x_waddr,
    output reg signed [31:0] x_wdata,
    output reg signed [11:0] x_exp,
    output reg [6:0] x_maxbits
);
`include "fornax_fn.vh"
`include "fornax_isa.vh"

    localparam [3:0] S_IDLE = 4'd0, S_P1 = 4'd1, S_P1W = 4'd2, S_SC1 = 4'd3, S_SC2 = 4'd4,
                     S_SC3 = 4'd5, S_P2 = 4'd6, S_P2W = 4'd7;
    localparam integer LAST_INT = D - 1;
    localparam [EAW-1:0] LAST = LAST_INT[EAW-1:0];
    reg [3:0] state;
    reg [EAW-1:0] i;
    reg [2:0] wait_cnt;
    reg [6:0] s_q;
    reg signed [11:0] gk_q;

    // constant tables
    wire [63:0] eps_v;
    fornax_rom #(.WIDTH(64), .DEPTH(`FORNAX_EPS_DEPTH), .AW(`FORNAX_EPS_AW), .FILE(EPS_FILE)) eps_rom (
        .clk(clk), .addr(s_q[4:0]), .data(eps_v));
    reg [7:0] ridx;
    wire [15:0] r_lo, r_hi;
    fornax_rom #(.WIDTH(16), .DEPTH(`FORNAX_RSQRT_DEPTH), .AW(`FORNAX_RSQRT_AW), .FILE(RSQRT_FILE)) rs_lo (
        .clk(clk), .addr(ridx), .data(r_lo));
    fornax_rom #(.WIDTH(16), .DEPTH(`FORNAX_RSQRT_DEPTH), .AW(`FORNAX_RSQRT_AW), .FILE(RSQRT_FILE)) rs_hi (
        .clk(clk), .addr(ridx + 8'd1), .data(r_hi));
    reg [GAW-1:0] gaddr;
    wire [15:0] g_v;
    fornax_rom #(.WIDTH(16), .DEPTH(NGAIN), .AW(GAW), .FILE(GAIN_FILE)) gain_rom (
        .clk(clk), .addr(gaddr), .data(g_v));

    // element pipeline: read issued (stage 0) -> h arrives (1) -> m (2) -> product (3) -> out (4)
    reg v1, v2, v3;
    reg pass2_1, pass2_2, pass2_3;
    reg [EAW-1:0] a1, a2, a3;
    reg signed [15:0] m2;
    reg signed [15:0] g2;
    reg signed [31:0] sq3;
    reg signed [16:0] t3;
    reg signed [15:0] g3;
    reg [47:0] ss;
    reg [16:0] rr;                       // R, <= 2^15
    wire issuing = (state == S_P1) || (state == S_P2);
    wire signed [63:0] m_full = fn_rshr64({{32{h_rdata[31]}}, h_rdata}, s_q);
    wire signed [33:0] mr = m2 * $signed({1'b0, rr});
    wire signed [63:0] t_full = fn_rshr64({{30{mr[33]}}, mr}, 7'd15);
    wire signed [32:0] p3 = t3 * g3;
    always @(posedge clk) begin
        v1 <= issuing && !rst;
        pass2_1 <= (state == S_P2);
        a1 <= i;
        v2 <= v1 && !rst;
        pass2_2 <= pass2_1;
        a2 <= a1;
        m2 <= fn_clamp15(m_full);
        g2 <= g_v;
        v3 <= v2 && !rst;
        pass2_3 <= pass2_2;
        a3 <= a2;
        sq3 <= m2 * m2;
        t3 <= t_full[16:0];
        g3 <= g2;
        x_we <= v3 && pass2_3 && !rst;
        x_waddr <= a3;
        x_wdata <= p3[31:0];
        if (v3 && pass2_3) begin
            if (fn_ulen64(fn_abs64({{31{p3[32]}}, p3})) > x_maxbits)
                x_maxbits <= fn_ulen64(fn_abs64({{31{p3[32]}}, p3}));
        end
        if (v3 && !pass2_3) ss <= ss + {16'd0, sq3};
        if (state == S_IDLE && start) begin
            ss <= 48'd0;
            x_maxbits <= 7'd0;
        end
    end

    // scalar stage
    reg [63:0] v_q;
    reg signed [7:0] j_q;
    reg [15:0] frac_q;
    wire [6:0] vlen = fn_ulen64(v_q);
    wire signed [7:0] j_c = ($signed({1'b0, vlen}) - 8'sd31) >>> 1;
    wire [63:0] u_c = j_c[7] ? (v_q << (-(j_c + j_c))) : (v_q >> (j_c + j_c));
    wire signed [16:0] rdiff = $signed({1'b0, r_hi}) - $signed({1'b0, r_lo});
    wire signed [33:0] rprod = rdiff * $signed({1'b0, frac_q});
    wire signed [17:0] r_c = $signed({2'b00, r_lo}) + $signed(rprod[33:16]);
    wire _unused_ok = &{1'b0, t_full[63:17], u_c[63:32], u_c[7:0], rprod[15:0], r_c[17]};

    always @(posedge clk) begin
        done <= 1'b0;
        case (state)
            S_IDLE: if (start) begin
                s_q <= hs;
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
                    wait_cnt <= 3'd0;
                end
            end
            S_P1W: begin
                wait_cnt <= wait_cnt + 3'd1;
                if (wait_cnt == 3'd3) begin
                    v_q <= {16'd0, ss} + eps_v;
                    state <= S_SC1;
                end
            end
            S_SC1: begin
                j_q <= j_c;
                ridx <= u_c[31:24] - 8'd64;
                frac_q <= u_c[23:8];
                state <= S_SC2;
            end
            S_SC2: state <= S_SC3;  // RSQRT words in flight
            S_SC3: begin
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
                    wait_cnt <= 3'd0;
                end
            end
            S_P2W: begin
                wait_cnt <= wait_cnt + 3'd1;
                if (wait_cnt == 3'd3) begin
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
