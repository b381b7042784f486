// Causal attention (IntOps.attention) for every query head of one layer at position t, HD lanes
// wide: one key (score pass) or one value row (value pass) per cycle.
//   score pass: z_p = requant(sum_i q_i*K_p,i, MC, KC - (e_q + e_k,p) - 16), zmax, ev_max
//   value pass: ex_p = exp2neg(zmax - z_p) (EXP2 table, lerp), S += ex_p,
//               w_p = rshr(ex_p, ev_max - e_v,p), acc_i += w_p * V_p,i
//   1/S:        j = bitlen(S) - 16, u = S >> j, Rc = lerp(RECIP, (u >> 7) - 256, u & 0x7F, 7)
//   output:     out_i = requant(acc_i, Rc, 31 + j - ev_max - 16) -> x[hh*HD + i]
// Query head hh reads kv head hh / GROUP. Cache rows are addressed ((layer*KV + g)*CTX + p).
module fornax_attention #(
    parameter integer HD = 8,
    parameter integer LOG2HD = 3,       // ceil(log2 HD)
    parameter integer H = 8,
    parameter integer KV = 4,
    parameter integer CTX = 64,
    parameter integer HAW = 4,
    parameter integer PAW = 7,          // position bits (holds CTX)
    parameter integer CAW = 10,         // cache address bits
    parameter integer EAW = 8,          // output element index bits
    parameter integer MC = 32768,
    parameter integer KC = 16,
    parameter EXP2_FILE = "exp2.mem",
    parameter RECIP_FILE = "recip.mem"
) (
    input wire clk,
    input wire rst,
    input wire start,
    input wire [7:0] layer,
    input wire [PAW-1:0] pos,
    output reg done,
    // queries: head word and exponent
    output reg [HAW-1:0] q_raddr,
    input wire [HD*16-1:0] q_rdata,
    input wire signed [11:0] q_exp,     // exponent of head q_raddr (combinational)
    // caches (1-cycle latency)
    output reg [CAW-1:0] k_raddr,
    input wire [HD*16-1:0] k_rdata,
    input wire signed [11:0] ek_rdata,
    output reg [CAW-1:0] v_raddr,
    input wire [HD*16-1:0] v_rdata,
    input wire signed [11:0] ev_rdata,
    // output vector
    output reg x_we,
    output reg [EAW-1:0] x_waddr,
    output reg signed [31:0] x_wdata,
    output reg [6:0] x_maxbits
);
`include "fornax_fn.vh"

    localparam integer HDP = 1 << LOG2HD;
    localparam integer GROUP = H / KV;
    localparam integer TW = 32 + LOG2HD;
    localparam [3:0] P_IDLE = 4'd0, P_Q = 4'd1, P_Q2 = 4'd2, P_S = 4'd3, P_SW = 4'd4, P_V = 4'd5,
                     P_VW = 4'd6, P_R1 = 4'd7, P_R2 = 4'd8, P_R3 = 4'd9, P_O = 4'd10, P_OW = 4'd11;
    reg [3:0] ph;
    reg [HAW-1:0] hh;
    reg [PAW-1:0] t_q, p_cnt, z_cnt;
    reg [7:0] layer_q;
    reg [CAW-1:0] cbase;
    reg [7:0] wait_cnt;
    reg [9:0] o_done;

    // ------------------------------------------------------------------ query register
    reg signed [15:0] qv [0:HD-1];
    wire q_load;
    genvar gq;
    generate
        for (gq = 0; gq < HD; gq = gq + 1) begin : g_q
            always @(posedge clk) if (q_load) qv[gq] <= q_rdata[gq*16 +: 16];
        end
    endgenerate
    reg signed [11:0] eq;
    integer n;

    // ------------------------------------------------------------------ score pass datapath
    reg s0, s1;                               // key read issued / key row arriving
    reg [PAW-1:0] sp0, sp1;
    reg signed [TW-1:0] node [0:2*HDP-2];
    reg sv [0:LOG2HD];
    reg [PAW-1:0] sp [0:LOG2HD];
    reg signed [11:0] sek [0:LOG2HD];
    genvar gn;
    generate
        for (gn = 0; gn < HDP; gn = gn + 1) begin : g_leaf
            if (gn < HD) begin : g_prod
                always @(posedge clk) node[HDP - 1 + gn] <= mulq(qv[gn], k_rdata[gn*16 +: 16]);
            end else begin : g_pad
                always @(posedge clk) node[HDP - 1 + gn] <= {TW{1'b0}};
            end
        end
        for (gn = 0; gn < HDP - 1; gn = gn + 1) begin : g_sum
            always @(posedge clk) node[gn] <= node[2*gn + 1] + node[2*gn + 2];
        end
    endgenerate
    always @(posedge clk) begin
        s1 <= s0 && !rst;
        sp1 <= sp0;
        sv[0] <= s1 && !rst;
        sp[0] <= sp1;
        sek[0] <= ek_rdata;
        for (n = 1; n <= LOG2HD; n = n + 1) begin
            sv[n] <= sv[n-1] && !rst;
            sp[n] <= sp[n-1];
            sek[n] <= sek[n-1];
        end
    end
    function automatic signed [TW-1:0] mulq;
        input signed [15:0] a;
        input [15:0] b;
        reg signed [31:0] pr;
        begin
            pr = a * $signed(b);
            mulq = {{(TW-32){pr[31]}}, pr};
        end
    endfunction

    // ------------------------------------------------------------------ shared requantiser
    wire out_phase = (ph == P_O) || (ph == P_OW);
    reg o_issue;
    reg [9:0] o_i, o_sel;
    reg signed [47:0] acc [0:HD-1];
    reg [16:0] rc;
    reg signed [7:0] rj;
    reg signed [11:0] evmax;
    wire rq_in_v = out_phase ? o_issue : sv[LOG2HD];
    wire signed [47:0] rq_acc = out_phase ? acc[o_sel[LOG2HD-1:0]] : {{(48-TW){node[0][TW-1]}}, node[0]};
    wire [16:0] rq_m = out_phase ? rc : MC[16:0];
    wire signed [11:0] rq_sh = out_phase
        ? (12'sd15 + {{4{rj[7]}}, rj} - evmax)
        : (KC[11:0] - eq - sek[LOG2HD] - 12'sd16);
    wire [15:0] rq_tag_in = out_phase ? {6'd0, o_sel} : {{(16-PAW){1'b0}}, sp[LOG2HD]};
    wire rq_v;
    wire signed [31:0] rq_y;
    wire [15:0] rq_tag;
    fornax_requant #(.TAG_W(16)) rq (
        .clk(clk), .rst(rst), .in_valid(rq_in_v), .acc(rq_acc), .m(rq_m), .sh(rq_sh),
        .in_tag(rq_tag_in), .out_valid(rq_v), .y(rq_y), .out_tag(rq_tag));

    // score memory
    reg signed [31:0] zmax;
    reg [PAW-1:0] z_raddr;
    wire [31:0] z_rdata;
    fornax_ram #(.WIDTH(32), .DEPTH(CTX), .AW(PAW)) zmem (
        .clk(clk), .we(rq_v && !out_phase), .waddr(rq_tag[PAW-1:0]), .wdata(rq_y),
        .raddr(z_raddr), .rdata(z_rdata));

    // ------------------------------------------------------------------ value pass datapath
    reg v0, v1;
    wire signed [32:0] zdist = {zmax[31], zmax} - {z_rdata[31], z_rdata};
    wire [15:0] fp = zdist[15:0];
    wire [7:0] e_idx = fp[15:8];
    wire [15:0] e_lo, e_hi;
    fornax_rom #(.WIDTH(16), .DEPTH(257), .AW(9), .FILE(EXP2_FILE)) exp_lo (
        .clk(clk), .addr({1'b0, e_idx}), .data(e_lo));
    fornax_rom #(.WIDTH(16), .DEPTH(257), .AW(9), .FILE(EXP2_FILE)) exp_hi (
        .clk(clk), .addr({1'b0, e_idx} + 9'd1), .data(e_hi));
    reg v2;
    reg [16:0] ip2;
    reg [7:0] ef2;
    reg signed [11:0] evs2;
    reg [HD*16-1:0] vv2, vv3, vv4;
    always @(posedge clk) begin
        v1 <= v0 && !rst;
        v2 <= v1 && !rst;
        ip2 <= zdist[32:16];
        ef2 <= fp[7:0];
        evs2 <= evmax - ev_rdata;
        vv2 <= v_rdata;
    end
    wire signed [16:0] ediff = $signed({1'b0, e_hi}) - $signed({1'b0, e_lo});
    wire signed [25:0] eprod = ediff * $signed({1'b0, ef2});
    wire signed [17:0] ex_lerp = $signed({2'b00, e_lo}) + $signed(eprod[25:8]);
    wire signed [63:0] ex_sh = fn_rshr64({{46{ex_lerp[17]}}, ex_lerp}, ip2[6:0]);
    reg v3;
    reg [16:0] ex3;
    reg signed [11:0] evs3;
    always @(posedge clk) begin
        v3 <= v2 && !rst;
        ex3 <= (ip2 >= 17'd31) ? 17'd0 : ex_sh[16:0];
        evs3 <= evs2;
        vv3 <= vv2;
    end
    wire signed [63:0] w_sh = fn_rshr64({47'd0, ex3},
        (evs3 >= 12'sd63) ? 7'd63 : evs3[6:0]);
    reg v4;
    reg [16:0] w4;
    reg [47:0] ssum;
    always @(posedge clk) begin
        v4 <= v3 && !rst;
        w4 <= w_sh[16:0];
        vv4 <= vv3;
        if (v3) ssum <= ssum + {31'd0, ex3};
        if (ph == P_Q) ssum <= 48'd0;
    end
    reg v5;
    reg signed [32:0] pv5 [0:HD-1];
    always @(posedge clk) v5 <= v4 && !rst;
    generate
        for (gn = 0; gn < HD; gn = gn + 1) begin : g_vacc
            always @(posedge clk) begin
                pv5[gn] <= $signed({1'b0, w4}) * $signed(vv4[gn*16 +: 16]);
                if (ph == P_Q) acc[gn] <= 48'sd0;
                else if (v5) acc[gn] <= acc[gn] + {{15{pv5[gn][32]}}, pv5[gn]};
            end
        end
    endgenerate

    // ------------------------------------------------------------------ reciprocal of S
    wire [6:0] slen = fn_ulen64({16'd0, ssum});
    wire [7:0] rjc = {1'b0, slen} - 8'd16;
    wire [47:0] su = ssum >> rjc;
    reg [8:0] r_idx;
    reg [6:0] r_fr;
    wire [16:0] rc_lo, rc_hi;
    fornax_rom #(.WIDTH(17), .DEPTH(257), .AW(9), .FILE(RECIP_FILE)) rec_lo (
        .clk(clk), .addr(r_idx), .data(rc_lo));
    fornax_rom #(.WIDTH(17), .DEPTH(257), .AW(9), .FILE(RECIP_FILE)) rec_hi (
        .clk(clk), .addr(r_idx + 9'd1), .data(rc_hi));
    wire signed [17:0] rdiff = $signed({1'b0, rc_hi}) - $signed({1'b0, rc_lo});
    wire signed [25:0] rprod = rdiff * $signed({1'b0, r_fr});
    wire signed [18:0] rc_lerp = $signed({2'b00, rc_lo}) + $signed(rprod[25:7]);
    wire _unused_ok = &{1'b0, rq_tag, eprod[7:0], ex_sh[63:17], w_sh[63:17], su[47:16], rprod[6:0],
                        rc_lerp[18:17], o_sel};

    // ------------------------------------------------------------------ control
    reg [HAW-1:0] g_cnt, grp_cnt;           // kv head of hh, and hh's index within its group
    assign q_load = (ph == P_S) && (wait_cnt == 8'd0);
    wire [CAW-1:0] kv_row0 = ({{(CAW-8){1'b0}}, layer_q} * KV[CAW-1:0]
        + {{(CAW-HAW){1'b0}}, g_cnt}) * CTX[CAW-1:0];
    always @(posedge clk) begin
        done <= 1'b0;
        s0 <= 1'b0;
        v0 <= 1'b0;
        o_issue <= 1'b0;
        x_we <= 1'b0;
        if (rq_v && out_phase) begin
            x_we <= 1'b1;
            x_waddr <= hh * HD[EAW-1:0] + rq_tag[EAW-1:0];
            x_wdata <= rq_y;
            if (fn_ulen64(fn_abs64({{32{rq_y[31]}}, rq_y})) > x_maxbits)
                x_maxbits <= fn_ulen64(fn_abs64({{32{rq_y[31]}}, rq_y}));
            o_done <= o_done + 10'd1;
        end
        if (rq_v && !out_phase) begin
            z_cnt <= z_cnt + 1'b1;
            if (rq_y > zmax) zmax <= rq_y;
        end
        if (s1 && ev_rdata > evmax) evmax <= ev_rdata;
        case (ph)
            P_IDLE: if (start) begin
                layer_q <= layer;
                t_q <= pos;
                hh <= {HAW{1'b0}};
                g_cnt <= {HAW{1'b0}};
                grp_cnt <= {HAW{1'b0}};
                x_maxbits <= 7'd0;
                ph <= P_Q;
            end
            P_Q: begin
                q_raddr <= hh;
                cbase <= kv_row0;
                zmax <= 32'sh80000000;
                evmax <= -12'sd2048;
                z_cnt <= {PAW{1'b0}};
                ph <= P_Q2;
            end
            P_Q2: begin
                // q word arrives next cycle; start the key reads one cycle later
                p_cnt <= {PAW{1'b0}};
                ph <= P_S;
                wait_cnt <= 8'd0;
            end
            P_S: begin
                if (wait_cnt == 8'd0) begin
                    eq <= q_exp;
                    wait_cnt <= 8'd1;
                end
                k_raddr <= cbase + {{(CAW-PAW){1'b0}}, p_cnt};
                v_raddr <= cbase + {{(CAW-PAW){1'b0}}, p_cnt};
                s0 <= 1'b1;
                sp0 <= p_cnt;
                p_cnt <= p_cnt + 1'b1;
                if (p_cnt == t_q) ph <= P_SW;
            end
            P_SW: if (z_cnt == t_q + 1'b1 && !rq_v) begin
                p_cnt <= {PAW{1'b0}};
                ph <= P_V;
            end
            P_V: begin
                z_raddr <= p_cnt;
                v_raddr <= cbase + {{(CAW-PAW){1'b0}}, p_cnt};
                v0 <= 1'b1;
                p_cnt <= p_cnt + 1'b1;
                wait_cnt <= 8'd0;
                if (p_cnt == t_q) ph <= P_VW;
            end
            P_VW: begin
                wait_cnt <= wait_cnt + 8'd1;
                if (wait_cnt == 8'd7) ph <= P_R1;
            end
            P_R1: begin
                rj <= rjc;
                r_idx <= su[15:7] - 9'd256;
                r_fr <= su[6:0];
                ph <= P_R2;
            end
            P_R2: ph <= P_R3;
            P_R3: begin
                rc <= rc_lerp[16:0];
                o_i <= 10'd0;
                o_done <= 10'd0;
                ph <= P_O;
            end
            P_O: begin
                o_issue <= 1'b1;
                o_sel <= o_i;
                o_i <= o_i + 10'd1;
                if (o_i == HD[9:0] - 10'd1) ph <= P_OW;
            end
            P_OW: if (o_done == HD[9:0]) begin
                if (hh == H[HAW-1:0] - 1'b1) begin
                    done <= 1'b1;
                    ph <= P_IDLE;
                end else begin
                    hh <= hh + 1'b1;
                    if (grp_cnt == GROUP[HAW-1:0] - 1'b1) begin
                        grp_cnt <= {HAW{1'b0}};
                        g_cnt <= g_cnt + 1'b1;
                    end else begin
                        grp_cnt <= grp_cnt + 1'b1;
                    end
                    ph <= P_Q;
                end
            end
            default: ph <= P_IDLE;
        endcase
        if (rst) begin
            ph <= P_IDLE;
            done <= 1'b0;
        end
    end
endmodule
