// Fornax core: a model-independent transformer decoder whose program (one instruction per op, from
// the compiler) and constants (gains, tables) are data. Dimensions are parameters.
//
// Per token the fetch sequencer walks the program and requests every op's weight rows from the
// weight source (ROM or AXI; one stream of LANES-byte beats plus one of 64-bit row constants), so
// weights are prefetched while vector ops run. The execution sequencer runs the ops in order:
//   EMBED, RMSNORM, MATVEC (out modes q/k/v/act/up/resid/logit), HEADS (BFP14 + RoPE -> q regs or
//   KV cache), ATTN, GLU, END.
// See docs/HARDWARE.md for the instruction format, memories and timing.
module fornax_core #(
    parameter integer LANES = 16,
    parameter integer LOG2L = 4,
    parameter integer D = 64,
    parameter integer I = 172,
    parameter integer H = 8,
    parameter integer KV = 4,
    parameter integer HD = 8,
    parameter integer LOG2HD = 3,
    parameter integer CTX = 64,
    parameter integer VOCAB = 512,
    parameter integer TOK_W = 9,
    parameter integer NPROG = 128,
    parameter integer PGAW = 7,        // program address bits
    parameter integer XD = 16,         // lane memory depth: ceil(max(D, I, H*HD) / LANES)
    parameter integer XAW = 4,
    parameter integer EAW = 8,         // element index bits: holds max(D, I, H*HD)
    parameter integer SD = 344,        // scratch depth: max(H*HD + 2*KV*HD, 2*I)
    parameter integer SAW = 9,
    parameter integer HAW = 4,         // head index bits: holds H
    parameter integer PAW = 7,         // position bits: holds CTX
    parameter integer LAYERS = 5,
    parameter integer CAW = 11,
    parameter integer RAW = 9,         // rope table address bits: CTX * HD/2 entries
    parameter integer NGAIN = 704,     // gain words: (2 * layers + 1) * D
    parameter integer GAW = 10,
    parameter integer MC = 32768,      // attention score scale (M, k)
    parameter integer KC = 16,
    parameter PROG_FILE = "program.mem",
    parameter GAIN_FILE = "gain.mem",
    parameter EPS_FILE = "eps.mem",
    parameter RSQRT_FILE = "rsqrt.mem",
    parameter EXP2_FILE = "exp2.mem",
    parameter RECIP_FILE = "recip.mem",
    parameter GATE_FILE = "gate.mem",
    parameter COS_FILE = "cos.mem",
    parameter SIN_FILE = "sin.mem"
) (
    input wire clk,
    input wire rst,
    // tokens
    input wire s_tok_tvalid,
    output wire s_tok_tready,
    input wire [TOK_W-1:0] s_tok_tdata,
    input wire s_tok_tuser,
    // logits
    output wire m_logit_tvalid,
    input wire m_logit_tready,
    output wire signed [31:0] m_logit_tdata,
    output wire m_logit_tlast,
    // prediction
    output wire m_pred_tvalid,
    input wire m_pred_tready,
    output wire [TOK_W-1:0] m_pred_tdata,
    output reg overflow,
    // weight source: requests, then beats and row constants in request order
    output wire req_valid,
    input wire req_ready,
    output wire [31:0] req_wbase,
    output wire [31:0] req_nbeats,
    output wire [31:0] req_cbase,
    output wire [31:0] req_nrows,
    input wire w_valid,
    input wire [LANES*8-1:0] w_data,
    output wire w_ready,
    input wire c_valid,
    input wire [63:0] c_data,
    output wire c_ready,
    // status for performance counters (no effect on the computation): high while the matrix engine
    // streams a weight matrix, from the cycle after its start (the first cycle it can take a weight
    // beat) through the cycle it takes the matrix's last weight beat
    output wire perf_matrix
);
`include "fornax_fn.vh"
`include "fornax_isa.vh"

    // opcodes and modes: names for the values of fornax_isa.vh (generated from dev.fornax.rtl.Isa)
    localparam [3:0] OP_END = `FORNAX_OP_END, OP_EMBED = `FORNAX_OP_EMBED, OP_RMS = `FORNAX_OP_RMSNORM,
                     OP_MATVEC = `FORNAX_OP_MATVEC, OP_HEADS = `FORNAX_OP_HEADS, OP_ATTN = `FORNAX_OP_ATTN,
                     OP_GLU = `FORNAX_OP_GLU;
    localparam [3:0] M_Q = `FORNAX_M_Q, M_K = `FORNAX_M_K, M_V = `FORNAX_M_V, M_ACT = `FORNAX_M_ACT,
                     M_UP = `FORNAX_M_UP, M_RESID = `FORNAX_M_RESID, M_LOGIT = `FORNAX_M_LOGIT;
    localparam integer QD = H * HD;
    localparam integer KVD = KV * HD;
    localparam integer HALF = HD / 2;
    localparam integer FDEPTH = 32;                 // logits FIFO
    localparam integer CD = LAYERS * KV * CTX;      // KV cache rows

    // each reader of the instruction word uses only some fields; row tags are wider than needed
    wire _unused_ok = &{1'b0, ins_f, ins_x, mv_rows, act_row};

    // ================================================================== token / sequence state
    localparam [2:0] T_IDLE = 3'd0, T_RUN = 3'd1, T_DRAIN = 3'd2, T_PRED = 3'd3;
    reg [2:0] tst;
    reg [PAW-1:0] pos_next;        // position of the next token
    reg [PAW-1:0] pos_cur;         // position of the token being processed
    reg [TOK_W-1:0] tok_q;
    wire full = (pos_next == CTX[PAW-1:0]);
    // s_tok_tready is a register (no path from rst or s_tok_tuser): high while idle, not
    // overflowed and the cache has room; with the cache full it rises the cycle after a token
    // with tuser (a new sequence) is offered, and a token without tuser raises overflow instead.
    reg tok_ready;
    assign s_tok_tready = tok_ready;
    wire accept = s_tok_tvalid && tok_ready;

    // ================================================================== program ROMs
    reg [PGAW-1:0] pc_f, pc_x;
    wire [`FORNAX_INS_W-1:0] ins_f, ins_x;
    fornax_rom #(.WIDTH(`FORNAX_INS_W), .DEPTH(NPROG), .AW(PGAW), .FILE(PROG_FILE)) prog_f (
        .clk(clk), .addr(pc_f), .data(ins_f));
    fornax_rom #(.WIDTH(`FORNAX_INS_W), .DEPTH(NPROG), .AW(PGAW), .FILE(PROG_FILE)) prog_x (
        .clk(clk), .addr(pc_x), .data(ins_x));

    // ================================================================== fetch sequencer
    // walks the program once per token and requests the weight rows of EMBED and MATVEC ops
    localparam [1:0] F_IDLE = 2'd0, F_READ = 2'd1, F_DECODE = 2'd2, F_REQ = 2'd3;
    reg [1:0] fst;
    reg rq_v;
    reg [31:0] rq_wbase, rq_nbeats, rq_cbase, rq_nrows;
    assign req_valid = rq_v;
    assign req_wbase = rq_wbase;
    assign req_nbeats = rq_nbeats;
    assign req_cbase = rq_cbase;
    assign req_nrows = rq_nrows;
    wire [3:0] f_op = ins_f[`FORNAX_INS_OP];
    wire [31:0] f_wbase = ins_f[`FORNAX_INS_WBASE];
    wire [31:0] f_cbase = ins_f[`FORNAX_INS_CBASE];
    wire [31:0] f_rows = ins_f[`FORNAX_INS_ROWS];
    wire [15:0] f_bpr = ins_f[`FORNAX_INS_BPR];
    wire [31:0] f_nbeats = ins_f[`FORNAX_INS_BEATS];
    wire [31:0] tok_ext = {{(32-TOK_W){1'b0}}, tok_q};
    always @(posedge clk) begin
        case (fst)
            F_IDLE: if (accept) begin
                pc_f <= {PGAW{1'b0}};
                fst <= F_READ;
            end
            F_READ: fst <= F_DECODE;     // instruction word in flight
            F_DECODE: begin
                if (f_op == OP_END) begin
                    fst <= F_IDLE;
                end else if (f_op == OP_EMBED) begin
                    rq_v <= 1'b1;
                    rq_wbase <= f_wbase + tok_ext * {16'd0, f_bpr};
                    rq_nbeats <= {16'd0, f_bpr};
                    rq_cbase <= f_cbase + tok_ext;
                    rq_nrows <= 32'd1;
                    fst <= F_REQ;
                end else if (f_op == OP_MATVEC) begin
                    rq_v <= 1'b1;
                    rq_wbase <= f_wbase;
                    rq_nbeats <= f_nbeats;
                    rq_cbase <= f_cbase;
                    rq_nrows <= f_rows;
                    fst <= F_REQ;
                end else begin
                    pc_f <= pc_f + 1'b1;
                    fst <= F_READ;
                end
            end
            F_REQ: if (req_ready) begin
                rq_v <= 1'b0;
                pc_f <= pc_f + 1'b1;
                fst <= F_READ;
            end
            default: fst <= F_IDLE;
        endcase
        if (rst) begin
            fst <= F_IDLE;
            rq_v <= 1'b0;
            pc_f <= {PGAW{1'b0}};
        end
    end

    // ================================================================== execution sequencer
    localparam [2:0] X_IDLE = 3'd0, X_READ = 3'd1, X_DISPATCH = 3'd2, X_WAIT = 3'd3,
                     X_SETTLE = 3'd4;
    reg [2:0] xst;
    reg [3:0] x_op, x_mode;
    reg [7:0] x_layer;
    reg [3:0] settle;
    wire unit_done;

    // vector state for the matrix engine's input
    reg [6:0] xmb;                 // max magnitude bits of the 32-bit vector
    reg signed [11:0] xexp;        // its exponent
    reg [EAW-1:0] xlen;
    reg [6:0] hmb;                 // residual max magnitude bits
    reg [6:0] amb, umb;            // activation / up max magnitude bits
    wire [6:0] xs_now = fn_bfp_shift(xmb, 7'd15);

    // unit starts (one-cycle pulses)
    reg st_embed, st_rms, st_mv, st_heads, st_attn, st_glu;
    reg prog_end;

    always @(posedge clk) begin
        st_embed <= 1'b0;
        st_rms <= 1'b0;
        st_mv <= 1'b0;
        st_heads <= 1'b0;
        st_attn <= 1'b0;
        st_glu <= 1'b0;
        prog_end <= 1'b0;
        case (xst)
            X_IDLE: if (accept) begin
                pc_x <= {PGAW{1'b0}};
                xst <= X_READ;
            end
            X_READ: xst <= X_DISPATCH;
            X_DISPATCH: begin
                // the next instruction is read while this one runs
                x_op <= ins_x[`FORNAX_INS_OP];
                x_mode <= ins_x[`FORNAX_INS_MODE];
                x_layer <= ins_x[`FORNAX_INS_LAYER];
                pc_x <= pc_x + 1'b1;
                xst <= X_WAIT;
                case (ins_x[`FORNAX_INS_OP])
                    OP_EMBED: st_embed <= 1'b1;
                    OP_RMS: st_rms <= 1'b1;
                    OP_MATVEC: st_mv <= 1'b1;
                    OP_HEADS: st_heads <= 1'b1;
                    OP_ATTN: st_attn <= 1'b1;
                    OP_GLU: st_glu <= 1'b1;
                    default: begin
                        prog_end <= 1'b1;
                        xst <= X_IDLE;
                    end
                endcase
            end
            X_WAIT: if (unit_done) begin
                settle <= 4'd0;
                xst <= X_SETTLE;
            end
            X_SETTLE: begin
                // residual / activation write-back and maxima land within two cycles of done
                settle <= settle + 4'd1;
                if (settle == 4'd1) xst <= X_DISPATCH;
            end
            default: xst <= X_IDLE;
        endcase
        if (rst) begin
            xst <= X_IDLE;
            pc_x <= {PGAW{1'b0}};
        end
    end

    // ================================================================== residual memory
    reg h_we;
    reg [EAW-1:0] h_waddr, h_raddr;
    reg signed [31:0] h_wdata;
    wire signed [31:0] h_rdata;
    fornax_ram #(.WIDTH(32), .DEPTH(D), .AW(EAW), .OREG(1)) hmem (
        .clk(clk), .we(h_we), .waddr(h_waddr), .wdata(h_wdata), .re(1'b1), .raddr(h_raddr),
        .rdata(h_rdata));

    // ================================================================== scratch memory (two read ports)
    reg s_we;
    reg [SAW-1:0] s_waddr;
    reg signed [31:0] s_wdata;
    wire [SAW-1:0] sa_raddr, sb_raddr;
    wire signed [31:0] sa_rdata, sb_rdata;
    fornax_ram #(.WIDTH(32), .DEPTH(SD), .AW(SAW)) smem_a (
        .clk(clk), .we(s_we), .waddr(s_waddr), .wdata(s_wdata), .re(1'b1), .raddr(sa_raddr),
        .rdata(sa_rdata));
    fornax_ram #(.WIDTH(32), .DEPTH(SD), .AW(SAW)) smem_b (
        .clk(clk), .we(s_we), .waddr(s_waddr), .wdata(s_wdata), .re(1'b1), .raddr(sb_raddr),
        .rdata(sb_rdata));

    // ================================================================== units
    // embedding
    wire emb_done, emb_w_ready, emb_c_ready, emb_h_we;
    wire [EAW-1:0] emb_h_waddr;
    wire signed [31:0] emb_h_wdata;
    wire [6:0] emb_hmb;
    fornax_embed #(.LANES(LANES), .D(D), .EAW(EAW)) u_embed (
        .clk(clk), .rst(rst), .start(st_embed), .done(emb_done),
        .w_valid(w_valid), .w_data(w_data), .w_ready(emb_w_ready),
        .c_valid(c_valid), .c_data(c_data), .c_ready(emb_c_ready),
        .h_we(emb_h_we), .h_waddr(emb_h_waddr), .h_wdata(emb_h_wdata), .h_maxbits(emb_hmb));

    // rmsnorm
    wire rms_done, rms_x_we;
    wire [EAW-1:0] rms_h_raddr, rms_x_waddr;
    wire signed [31:0] rms_x_wdata;
    wire signed [11:0] rms_x_exp;
    wire [6:0] rms_xmb;
    reg [GAW-1:0] rms_gbase;
    reg signed [11:0] rms_gk;
    fornax_rmsnorm #(.D(D), .EAW(EAW), .GAW(GAW), .NGAIN(NGAIN), .GAIN_FILE(GAIN_FILE),
                     .EPS_FILE(EPS_FILE), .RSQRT_FILE(RSQRT_FILE)) u_rms (
        .clk(clk), .rst(rst), .start(st_rms), .hs(fn_bfp_shift(hmb, 7'd15)), .gbase(rms_gbase),
        .gk(rms_gk), .done(rms_done), .h_raddr(rms_h_raddr), .h_rdata(h_rdata),
        .x_we(rms_x_we), .x_waddr(rms_x_waddr), .x_wdata(rms_x_wdata), .x_exp(rms_x_exp),
        .x_maxbits(rms_xmb));
    always @(posedge clk) if (xst == X_DISPATCH) begin
        rms_gbase <= ins_x[`FORNAX_INS_AUX_LSB +: GAW] * D[GAW-1:0];
        rms_gk <= ins_x[`FORNAX_INS_GK];
    end

    // matrix engine
    reg [31:0] mv_rows;
    reg [15:0] mv_bpr;
    always @(posedge clk) if (xst == X_DISPATCH) begin
        mv_rows <= ins_x[`FORNAX_INS_ROWS];
        mv_bpr <= ins_x[`FORNAX_INS_BPR];
    end
    wire mv_busy, mv_streaming, mv_done, mv_w_ready, mv_c_ready, mv_out_v;
    wire [23:0] mv_out_row;
    wire signed [31:0] mv_out_y;
    reg x_we;
    reg [EAW-1:0] x_waddr;
    reg signed [31:0] x_wdata;
    reg [6:0] fifo_credit_used;
    wire mv_hold = (x_mode == M_LOGIT) && (fifo_credit_used >= FDEPTH[6:0]);
    fornax_matvec #(.LANES(LANES), .LOG2L(LOG2L), .XD(XD), .XAW(XAW), .EAW(EAW), .RW(24)) u_mv (
        .clk(clk), .rst(rst), .start(st_mv), .rows(mv_rows[23:0]), .bpr(mv_bpr), .cols(xlen),
        .xs(xs_now), .xe(xexp + {5'd0, xs_now}), .hold(mv_hold), .busy(mv_busy),
        .streaming(mv_streaming), .done(mv_done),
        .w_valid(w_valid), .w_data(w_data), .w_ready(mv_w_ready),
        .c_valid(c_valid), .c_data(c_data), .c_ready(mv_c_ready),
        .x_we(x_we), .x_waddr(x_waddr), .x_wdata(x_wdata),
        .out_valid(mv_out_v), .out_row(mv_out_row), .out_y(mv_out_y));
    assign perf_matrix = mv_streaming;
    wire embed_active = (x_op == OP_EMBED) && (xst == X_WAIT);
    assign w_ready = embed_active ? emb_w_ready : mv_w_ready;
    assign c_ready = embed_active ? emb_c_ready : mv_c_ready;

    // heads: BFP14 + RoPE
    reg [6:0] hmax [0:(1 << (HAW + 1)) - 1];   // H q heads, then KV k heads, then KV v heads
    wire hd_done, hd_o_we, hd_e_we;
    wire [HAW-1:0] hd_hm_raddr, hd_o_head, hd_e_head;
    wire [7:0] hd_o_i;
    wire signed [15:0] hd_o_a, hd_o_b;
    wire signed [11:0] hd_e_val;
    wire [SAW-1:0] hd_sa, hd_sb;
    reg [HAW-1:0] hd_nheads;
    reg [SAW-1:0] hd_sbase;
    reg [HAW:0] hd_hmoff;
    always @(posedge clk) if (xst == X_DISPATCH) begin
        case (ins_x[`FORNAX_INS_MODE])
            M_Q: begin
                hd_nheads <= H[HAW-1:0];
                hd_sbase <= {SAW{1'b0}};
                hd_hmoff <= {(HAW+1){1'b0}};
            end
            M_K: begin
                hd_nheads <= KV[HAW-1:0];
                hd_sbase <= QD[SAW-1:0];
                hd_hmoff <= H[HAW:0];
            end
            default: begin
                hd_nheads <= KV[HAW-1:0];
                hd_sbase <= QD[SAW-1:0] + KVD[SAW-1:0];
                hd_hmoff <= H[HAW:0] + KV[HAW:0];
            end
        endcase
    end
    reg [RAW-1:0] rbase;
    always @(posedge clk) rbase <= {{(RAW-PAW){1'b0}}, pos_cur} * HALF[RAW-1:0];
    fornax_heads #(.HD(HD), .HAW(HAW), .SAW(SAW), .CTX(CTX), .RAW(RAW), .COS_FILE(COS_FILE),
                   .SIN_FILE(SIN_FILE)) u_heads (
        .clk(clk), .rst(rst), .start(st_heads), .nheads(hd_nheads), .sbase(hd_sbase),
        .rope_en(x_mode != M_V), .rbase(rbase), .done(hd_done),
        .hm_raddr(hd_hm_raddr), .hm_rdata(hmax[{1'b0, hd_hm_raddr} + hd_hmoff]),
        .sa_raddr(hd_sa), .sa_rdata(sa_rdata), .sb_raddr(hd_sb), .sb_rdata(sb_rdata),
        .o_we(hd_o_we), .o_head(hd_o_head), .o_i(hd_o_i), .o_a(hd_o_a), .o_b(hd_o_b),
        .e_we(hd_e_we), .e_head(hd_e_head), .e_val(hd_e_val));

    // query words, query exponents, KV cache and its exponents; read only while attention runs
    // (their only reader)
    wire at_busy;
    reg signed [11:0] qexp [0:(1 << HAW) - 1];
    wire [HAW-1:0] at_q_raddr;
    wire [HD*16-1:0] q_word, k_word, v_word;
    wire [CAW-1:0] at_k_raddr, at_v_raddr;
    wire [CAW-1:0] kv_wrow = ({{(CAW-8){1'b0}}, x_layer} * KV[CAW-1:0]
        + {{(CAW-HAW){1'b0}}, hd_o_head}) * CTX[CAW-1:0] + {{(CAW-PAW){1'b0}}, pos_cur};
    wire [CAW-1:0] kv_erow = ({{(CAW-8){1'b0}}, x_layer} * KV[CAW-1:0]
        + {{(CAW-HAW){1'b0}}, hd_e_head}) * CTX[CAW-1:0] + {{(CAW-PAW){1'b0}}, pos_cur};
    fornax_pairmem #(.NE(HD), .DEPTH(H), .AW(HAW)) qmem (
        .clk(clk), .we(hd_o_we && x_mode == M_Q), .waddr(hd_o_head), .wi(hd_o_i), .wa(hd_o_a),
        .wb(hd_o_b), .re(at_busy), .raddr(at_q_raddr), .rdata(q_word));
    fornax_pairmem #(.NE(HD), .DEPTH(CD), .AW(CAW)) kmem (
        .clk(clk), .we(hd_o_we && x_mode == M_K), .waddr(kv_wrow), .wi(hd_o_i), .wa(hd_o_a),
        .wb(hd_o_b), .re(at_busy), .raddr(at_k_raddr), .rdata(k_word));
    fornax_pairmem #(.NE(HD), .DEPTH(CD), .AW(CAW)) vmem (
        .clk(clk), .we(hd_o_we && x_mode == M_V), .waddr(kv_wrow), .wi(hd_o_i), .wa(hd_o_a),
        .wb(hd_o_b), .re(at_busy), .raddr(at_v_raddr), .rdata(v_word));
    wire [11:0] ek_word, ev_word;
    fornax_ram #(.WIDTH(12), .DEPTH(CD), .AW(CAW)) ekmem (
        .clk(clk), .we(hd_e_we && x_mode == M_K), .waddr(kv_erow), .wdata(hd_e_val),
        .re(at_busy), .raddr(at_k_raddr), .rdata(ek_word));
    fornax_ram #(.WIDTH(12), .DEPTH(CD), .AW(CAW)) evmem (
        .clk(clk), .we(hd_e_we && x_mode == M_V), .waddr(kv_erow), .wdata(hd_e_val),
        .re(at_busy), .raddr(at_v_raddr), .rdata(ev_word));
    always @(posedge clk) if (hd_e_we && x_mode == M_Q) qexp[hd_e_head] <= hd_e_val;

    // attention
    wire at_done, at_x_we;
    wire [EAW-1:0] at_x_waddr;
    wire signed [31:0] at_x_wdata;
    wire [6:0] at_xmb;
    fornax_attention #(.HD(HD), .LOG2HD(LOG2HD), .H(H), .KV(KV), .CTX(CTX), .HAW(HAW), .PAW(PAW),
                       .CAW(CAW), .EAW(EAW), .MC(MC), .KC(KC), .EXP2_FILE(EXP2_FILE),
                       .RECIP_FILE(RECIP_FILE)) u_attn (
        .clk(clk), .rst(rst), .start(st_attn), .layer(x_layer), .pos(pos_cur), .done(at_done), .busy(at_busy),
        .q_raddr(at_q_raddr), .q_rdata(q_word), .q_exp(qexp[at_q_raddr]),
        .k_raddr(at_k_raddr), .k_rdata(k_word), .ek_rdata(ek_word),
        .v_raddr(at_v_raddr), .v_rdata(v_word), .ev_rdata(ev_word),
        .x_we(at_x_we), .x_waddr(at_x_waddr), .x_wdata(at_x_wdata), .x_maxbits(at_xmb));

    // GLU
    wire glu_done, glu_x_we;
    wire [SAW-1:0] glu_sa, glu_sb;
    wire [EAW-1:0] glu_x_waddr;
    wire signed [31:0] glu_x_wdata;
    wire [6:0] glu_xmb;
    wire signed [11:0] glu_x_exp;
    fornax_glu #(.N(I), .SAW(SAW), .EAW(EAW), .AOFF(0), .UOFF(I)) u_glu (
        .clk(clk), .rst(rst), .start(st_glu), .sa(fn_bfp_shift(amb, 7'd15)),
        .su(fn_bfp_shift(umb, 7'd15)), .done(glu_done), .sa_raddr(glu_sa), .sa_rdata(sa_rdata),
        .sb_raddr(glu_sb), .sb_rdata(sb_rdata), .x_we(glu_x_we), .x_waddr(glu_x_waddr),
        .x_wdata(glu_x_wdata), .x_maxbits(glu_xmb), .x_exp(glu_x_exp));
    assign sa_raddr = (x_op == OP_GLU) ? glu_sa : hd_sa;
    assign sb_raddr = (x_op == OP_GLU) ? glu_sb : hd_sb;

    // x write port mux (registered)
    always @(posedge clk) begin
        x_we <= rms_x_we || at_x_we || glu_x_we;
        x_waddr <= rms_x_we ? rms_x_waddr : (at_x_we ? at_x_waddr : glu_x_waddr);
        x_wdata <= rms_x_we ? rms_x_wdata : (at_x_we ? at_x_wdata : glu_x_wdata);
    end

    // A unit's done is seen DONE_DLY cycles late: its last results pass the write-back pipelines
    // (residual add, per-head maxima) and the maxbits trackers (fornax_maxbits, 3 cycles) first.
    localparam integer DONE_DLY = 3;
    reg [DONE_DLY-1:0] d_emb, d_rms, d_mv, d_hd, d_at, d_glu;
    always @(posedge clk) begin
        d_emb <= {d_emb[DONE_DLY-2:0], emb_done} & {DONE_DLY{!rst}};
        d_rms <= {d_rms[DONE_DLY-2:0], rms_done} & {DONE_DLY{!rst}};
        d_mv <= {d_mv[DONE_DLY-2:0], mv_done} & {DONE_DLY{!rst}};
        d_hd <= {d_hd[DONE_DLY-2:0], hd_done} & {DONE_DLY{!rst}};
        d_at <= {d_at[DONE_DLY-2:0], at_done} & {DONE_DLY{!rst}};
        d_glu <= {d_glu[DONE_DLY-2:0], glu_done} & {DONE_DLY{!rst}};
    end
    assign unit_done = d_emb[DONE_DLY-1] || d_rms[DONE_DLY-1] || d_mv[DONE_DLY-1] || d_hd[DONE_DLY-1]
        || d_at[DONE_DLY-1] || d_glu[DONE_DLY-1];

    // vector state updates at unit completion
    always @(posedge clk) begin
        if (d_rms[DONE_DLY-1]) begin
            xmb <= rms_xmb;
            xexp <= rms_x_exp;
            xlen <= D[EAW-1:0];
        end
        if (d_at[DONE_DLY-1]) begin
            xmb <= at_xmb;
            xexp <= -12'sd16;
            xlen <= QD[EAW-1:0];
        end
        if (d_glu[DONE_DLY-1]) begin
            xmb <= glu_xmb;
            xexp <= glu_x_exp;
            xlen <= I[EAW-1:0];
        end
    end

    // ================================================================== matrix output handling
    // activation for the gate projection
    wire act_v;
    wire signed [31:0] act_a;
    wire [23:0] act_row;
    fornax_activate #(.TAG_W(24), .GATE_FILE(GATE_FILE)) u_act (
        .clk(clk), .rst(rst), .in_valid(mv_out_v && x_mode == M_ACT), .g(mv_out_y),
        .in_tag(mv_out_row), .out_valid(act_v), .a(act_a), .out_tag(act_row));

    // per-head maxima for q/k/v (rows arrive in order, HD per head): |y| (stage 1), OR over the
    // head (stage 2), ulen of the head's OR into hmax (stage 3)
    reg [HAW:0] hm_head, hm_head1, hm_head2;
    reg [9:0] hm_i;
    reg hm_v1, hm_last1, hm_last2;
    reg [31:0] hm_abs1, hm_or, hm_fin2;
    // maxima of the activation (gate), up and residual vectors (fornax_maxbits on their writes)
    wire [6:0] amb_t, umb_t, hmb_t;

    // residual add: read h[r] as the row arrives (block RAM, output register), add two cycles
    // later, write h[r] + y (saturated) the cycle after
    reg rs_v1, rs_v2;
    reg [EAW-1:0] rs_row1, rs_row2;
    reg signed [31:0] rs_y1, rs_y2;
    wire signed [32:0] rs_sum33 = {h_rdata[31], h_rdata} + {rs_y2[31], rs_y2};
    wire signed [31:0] rs_sum = (rs_sum33[32] == rs_sum33[31]) ? rs_sum33[31:0]
        : (rs_sum33[32] ? 32'sh80000000 : 32'sh7fffffff);

    // logits FIFO and argmax
    reg signed [31:0] lf_data [0:FDEPTH-1];
    reg lf_last [0:FDEPTH-1];
    reg [5:0] lf_wp, lf_rp;
    wire lf_empty = (lf_wp == lf_rp);
    assign m_logit_tvalid = !lf_empty;    // from registers only (the pointers reset with rst)
    assign m_logit_tdata = lf_data[lf_rp[4:0]];
    assign m_logit_tlast = lf_last[lf_rp[4:0]];
    wire lf_pop = m_logit_tvalid && m_logit_tready;
    reg signed [31:0] best;
    reg [TOK_W-1:0] best_idx;

    always @(posedge clk) begin
        s_we <= 1'b0;
        rs_v1 <= 1'b0;
        rs_v2 <= rs_v1;
        h_we <= 1'b0;
        hm_v1 <= 1'b0;
        hm_last2 <= 1'b0;
        if (st_mv) begin
            hm_head <= {(HAW+1){1'b0}};
            hm_i <= 10'd0;
            case (x_mode)
                M_Q: hm_head <= {(HAW+1){1'b0}};
                M_K: hm_head <= H[HAW:0];
                M_V: hm_head <= H[HAW:0] + KV[HAW:0];
                default: ;
            endcase
        end
        if (mv_out_v) begin
            case (x_mode)
                M_Q, M_K, M_V: begin
                    s_we <= 1'b1;
                    s_waddr <= mv_out_row[SAW-1:0] + ((x_mode == M_Q) ? {SAW{1'b0}}
                        : (x_mode == M_K) ? QD[SAW-1:0] : QD[SAW-1:0] + KVD[SAW-1:0]);
                    s_wdata <= mv_out_y;
                    hm_v1 <= 1'b1;
                    hm_last1 <= (hm_i == HD[9:0] - 10'd1);
                    hm_head1 <= hm_head;
                    if (hm_i == HD[9:0] - 10'd1) begin
                        hm_head <= hm_head + 1'b1;
                        hm_i <= 10'd0;
                    end else begin
                        hm_i <= hm_i + 10'd1;
                    end
                end
                M_UP: begin
                    s_we <= 1'b1;
                    s_waddr <= mv_out_row[SAW-1:0] + I[SAW-1:0];
                    s_wdata <= mv_out_y;
                end
                M_RESID: begin
                    rs_v1 <= 1'b1;
                end
                default: ;
            endcase
        end
        rs_row1 <= mv_out_row[EAW-1:0];
        rs_y1 <= mv_out_y;
        rs_row2 <= rs_row1;
        rs_y2 <= rs_y1;
        hm_abs1 <= mv_out_y[31] ? (~mv_out_y + 32'd1) : mv_out_y;
        // per-head OR: a head's first row restarts it
        if (hm_v1) begin
            hm_or <= hm_last1 ? 32'd0 : (hm_or | hm_abs1);
            hm_fin2 <= hm_or | hm_abs1;
            hm_last2 <= hm_last1;
            hm_head2 <= hm_head1;
        end
        if (hm_last2) hmax[hm_head2] <= fn_ulen32(hm_fin2);
        if (st_mv) hm_or <= 32'd0;
        if (act_v) begin
            s_we <= 1'b1;
            s_waddr <= act_row[SAW-1:0];
            s_wdata <= act_a;
        end
        if (rs_v2) begin
            h_we <= 1'b1;
            h_waddr <= rs_row2;
            h_wdata <= rs_sum;
        end
        if (emb_h_we) begin
            h_we <= 1'b1;
            h_waddr <= emb_h_waddr;
            h_wdata <= emb_h_wdata;
        end
        if (rst) begin
            s_we <= 1'b0;
            h_we <= 1'b0;
            rs_v1 <= 1'b0;
            rs_v2 <= 1'b0;
            hm_v1 <= 1'b0;
            hm_last2 <= 1'b0;
        end
    end
    fornax_maxbits #(.W(32)) mb_act (.clk(clk), .clear(st_mv && x_mode == M_ACT), .in_valid(act_v),
        .val(act_a), .mbits_o(amb_t));
    fornax_maxbits #(.W(32)) mb_up (.clk(clk), .clear(st_mv && x_mode == M_UP),
        .in_valid(mv_out_v && x_mode == M_UP), .val(mv_out_y), .mbits_o(umb_t));
    fornax_maxbits #(.W(32)) mb_h (.clk(clk), .clear(st_embed || (st_mv && x_mode == M_RESID)),
        .in_valid(h_we), .val(h_wdata), .mbits_o(hmb_t));
    always @(*) begin
        amb = amb_t;
        umb = umb_t;
        hmb = hmb_t;
    end
    always @(*) begin
        h_raddr = (x_op == OP_RMS) ? rms_h_raddr : mv_out_row[EAW-1:0];
    end
    wire _unused_emb = &{1'b0, emb_hmb};   // hmb is tracked on the h write port (mb_h)

    // logits: FIFO push from the lm_head rows, argmax on the fly, credits for back-pressure
    wire lf_push = mv_out_v && (x_mode == M_LOGIT);
    always @(posedge clk) begin
        if (lf_push) begin
            lf_data[lf_wp[4:0]] <= mv_out_y;
            lf_last[lf_wp[4:0]] <= (mv_out_row == VOCAB[23:0] - 24'd1);
            lf_wp <= lf_wp + 6'd1;
            if (mv_out_row == 24'd0 || mv_out_y > best) begin
                best <= mv_out_y;
                best_idx <= mv_out_row[TOK_W-1:0];
            end
        end
        if (lf_pop) lf_rp <= lf_rp + 6'd1;
        fifo_credit_used <= fifo_credit_used
            + ((mv_c_ready && x_mode == M_LOGIT) ? 7'd1 : 7'd0) - (lf_pop ? 7'd1 : 7'd0);
        if (rst) begin
            lf_wp <= 6'd0;
            lf_rp <= 6'd0;
            fifo_credit_used <= 7'd0;
        end
    end

    // ================================================================== token FSM
    assign m_pred_tvalid = (tst == T_PRED);
    assign m_pred_tdata = best_idx;
    always @(posedge clk) begin
        case (tst)
            T_IDLE: begin
                if (accept) begin
                    tok_q <= s_tok_tdata;
                    pos_cur <= s_tok_tuser ? {PAW{1'b0}} : pos_next;
                    tst <= T_RUN;
                    tok_ready <= 1'b0;
                end else if (s_tok_tvalid && !s_tok_tuser && full) begin
                    overflow <= 1'b1;       // refused: s_tok_tready stays low until rst
                    tok_ready <= 1'b0;
                end else begin
                    tok_ready <= !overflow && (!full || (s_tok_tvalid && s_tok_tuser));
                end
            end
            T_RUN: if (prog_end) tst <= T_DRAIN;
            T_DRAIN: if (lf_empty && !mv_busy) tst <= T_PRED;
            T_PRED: if (m_pred_tready) begin
                pos_next <= pos_cur + 1'b1;
                tst <= T_IDLE;
                tok_ready <= !overflow && (pos_cur + 1'b1 != CTX[PAW-1:0]);
            end
            default: tst <= T_IDLE;
        endcase
        if (rst) begin
            tst <= T_IDLE;
            overflow <= 1'b0;
            pos_next <= {PAW{1'b0}};
            tok_ready <= 1'b0;
        end
    end
`ifdef FORNAX_TRACE
    // ================================================================== simulation-only trace
    // Per-op vectors under the golden model's trace keys (dev.fornax.golden.TraceOp), see
    // docs/HARDWARE.md. BFP15 matmul inputs are printed as the matrix engine converts them.
    localparam integer XMAX = XD * LANES;
    reg signed [31:0] tr_x [0:XMAX-1];
    reg tr_fresh;                  // X rewritten since the last matvec
    reg [2:0] tr_src;              // 1 attn_norm/ffn_norm/final_norm, 2 attn_bfp, 3 glu
    reg tr_norm_ffn, tr_final;
    reg [1:0] tr_resid;            // 1 after o_proj, 2 after down_proj
    integer tr_i;
    wire [31:0] tr_layer = (tr_src == 3'd1 && tr_final) ? LAYERS : {24'd0, x_layer};
    always @(posedge clk) begin
        if (x_we) begin
            tr_x[x_waddr] <= x_wdata;
            tr_fresh <= 1'b1;
        end
        if (st_rms) begin
            tr_norm_ffn <= ins_x[`FORNAX_INS_AUX_LSB];
            tr_final <= ({16'd0, ins_x[`FORNAX_INS_AUX]} == 2 * LAYERS);
        end
        if (rms_done) tr_src <= 3'd1;
        if (at_done) tr_src <= 3'd2;
        if (glu_done) tr_src <= 3'd3;
        if (emb_h_we) $display("FXT %0d -1 embed %0d %0d", pos_cur, emb_h_waddr, emb_h_wdata);
        if (st_mv && tr_fresh) begin
            tr_fresh <= 1'b0;
            for (tr_i = 0; tr_i < xlen; tr_i = tr_i + 1) begin
                $display("FXT %0d %0d %0s %0d %0d", pos_cur, tr_layer, tr_xname(tr_src, tr_norm_ffn, tr_layer),
                    tr_i, fn_clamp15(fn_rshr64({{32{tr_x[tr_i][31]}}, tr_x[tr_i]}, xs_now)));
            end
            $display("FXE %0d %0d %0s 0 %0d", pos_cur, tr_layer, tr_xname(tr_src, tr_norm_ffn, tr_layer),
                $signed(xexp + $signed({5'd0, xs_now})));
            if (x_mode == M_RESID) tr_resid <= (tr_src == 3'd2) ? 2'd1 : 2'd2;
        end
        if (mv_out_v) $display("FXT %0d %0d %0s %0d %0d", pos_cur, (x_mode == M_LOGIT) ? LAYERS : {24'd0, x_layer},
            tr_mvname(x_mode, tr_resid), mv_out_row, mv_out_y);
        if (rs_v2) $display("FXT %0d %0d %0s %0d %0d", pos_cur, x_layer, (tr_resid == 2'd1) ? "resid_attn" : "resid",
            rs_row2, rs_sum);
        if (hd_o_we) begin
            $display("FXT %0d %0d %0s %0d %0d", pos_cur, x_layer, tr_hname(x_mode), {{(32-HAW){1'b0}}, hd_o_head} * HD + {24'd0, hd_o_i}, hd_o_a);
            $display("FXT %0d %0d %0s %0d %0d", pos_cur, x_layer, tr_hname(x_mode),
                {{(32-HAW){1'b0}}, hd_o_head} * HD + {24'd0, hd_o_i} + HALF, hd_o_b);
        end
        if (hd_e_we) $display("FXE %0d %0d %0s %0d %0d", pos_cur, x_layer, tr_hname(x_mode), hd_e_head, hd_e_val);
        if (at_x_we) $display("FXT %0d %0d attn %0d %0d", pos_cur, x_layer, at_x_waddr, at_x_wdata);
    end
    function [8*10-1:0] tr_xname;
        input [2:0] src;
        input ffn;
        input [31:0] layer;
        begin
            if (src == 3'd2) tr_xname = "attn_bfp";
            else if (src == 3'd3) tr_xname = "glu";
            else if (layer == LAYERS) tr_xname = "final_norm";
            else tr_xname = ffn ? "ffn_norm" : "attn_norm";
        end
    endfunction
    function [8*8-1:0] tr_mvname;
        input [3:0] mode;
        input [1:0] resid;
        begin
            case (mode)
                M_Q: tr_mvname = "q";
                M_K: tr_mvname = "k";
                M_V: tr_mvname = "v";
                M_ACT: tr_mvname = "gate";
                M_UP: tr_mvname = "up";
                M_RESID: tr_mvname = (resid == 2'd1) ? "o" : "down";
                default: tr_mvname = "logits";
            endcase
        end
    endfunction
    function [8*8-1:0] tr_hname;
        input [3:0] mode;
        begin
            tr_hname = (mode == M_Q) ? "q_rope" : (mode == M_K) ? "k_rope" : "v_head";
        end
    endfunction
`endif
endmodule
