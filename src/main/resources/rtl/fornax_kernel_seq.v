// Fornax kernel sequencer: one greedy generation per run. On start it latches the arguments, checks
// them, then reads the prompt's token ids from device memory (m_axi_io, one 4-byte read each, the
// next prefetched while the core computes), feeds them to the core (s_tok, `first` on position 0),
// then feeds the core its own predictions; it writes each generated id to OUTPUT_ADDR and, with
// FLAGS.WRITE_LOGITS, every position's logits to LOGITS_ADDR (through fornax_axi_writer), and stops
// on MAX_NEW tokens, an EOS id (unless FLAGS.IGNORE_EOS; the id is written), a full KV cache, or an
// error. A position in progress completes, except when the core reports an AXI error (its weight
// source then halts): the kernel resets the core (core_rst, 4 cycles; fornax_wsrc_axi drops the
// data of bursts still in flight), pads the position's logits run with zeros so the write engine
// finishes cleanly, and ends the run. A run ends (done) once every write has its response.
//
// Register-map semantics are in docs/HARDWARE.md. Every output is a register or a function of
// registers only; rst is synchronous, active high.
module fornax_kernel_seq #(
    parameter integer VOCAB = 512,
    parameter integer CTX = 512,
    parameter integer TOK_W = 9,        // token id bits
    parameter integer TDATA_W = 16,     // the core's token tdata width (a byte multiple >= TOK_W)
    parameter integer NW = 1,           // weight read ports (their bases must be 4 KB aligned)
    parameter integer NWP = 1,          // max(NW, 1): width of the w_base vector
    parameter integer NOBS = 1,         // read ports observed for beats and errors: weights + KV (>= 1)
    parameter integer KV_DRAM = 0       // 1: the KV cache base must be 4 KB aligned
) (
    input wire clk,
    input wire rst,
    input wire start,
    output reg done,                    // pulse: the run ended
    output reg done_error,              // with done: ERROR != 0
    output reg core_rst,                // resets the core after it reported an AXI error
    // arguments (sampled at start)
    input wire [63:0] prompt_addr,
    input wire [63:0] output_addr,
    input wire [63:0] logits_addr,
    input wire [11:0] kv_addr_low,      // KV_ADDR[11:0]: checked for 4 KB alignment
    input wire [31:0] prompt_len,
    input wire [31:0] max_new,
    input wire [31:0] flags,
    input wire [127:0] eos_ids,
    input wire [64*NWP-1:0] w_base,
    // status registers
    output reg [31:0] st_tokens,
    output reg [2:0] st_stop,
    output reg [4:0] st_error,
    output reg [31:0] st_error_info,
    output reg [63:0] st_cycles,
    output reg [63:0] st_wbeats,
    output reg [63:0] st_mcycles,
    output reg [63:0] st_iobeats,
    output reg [31:0] st_positions,
    // the core's streams
    output reg core_tok_tvalid,
    input wire core_tok_tready,
    output reg [TDATA_W-1:0] core_tok_tdata,
    output reg core_tok_tuser,
    input wire core_logit_tvalid,
    output wire core_logit_tready,
    input wire [31:0] core_logit_tdata,
    input wire core_logit_tlast,
    input wire core_pred_tvalid,
    output wire core_pred_tready,
    input wire [TDATA_W-1:0] core_pred_tdata,
    input wire core_overflow,
    input wire core_axi_error,
    input wire [7:0] core_axi_error_code,
    input wire perf_matrix,
    // weight/KV read ports, observed: R handshakes and responses
    input wire [NOBS-1:0] w_rbeat,
    input wire [2*NOBS-1:0] w_rresp,
    // m_axi_io: AXI4 master, 32-bit data, 64-bit address
    output reg [63:0] m_axi_io_araddr,
    output wire [7:0] m_axi_io_arlen,
    output wire [2:0] m_axi_io_arsize,
    output wire [1:0] m_axi_io_arburst,
    output wire [3:0] m_axi_io_arcache,
    output wire [2:0] m_axi_io_arprot,
    output wire [3:0] m_axi_io_arqos,
    output wire m_axi_io_arlock,
    output reg m_axi_io_arvalid,
    input wire m_axi_io_arready,
    input wire [31:0] m_axi_io_rdata,
    input wire [1:0] m_axi_io_rresp,
    input wire m_axi_io_rlast,
    input wire m_axi_io_rvalid,
    output reg m_axi_io_rready,
    output wire [63:0] m_axi_io_awaddr,
    output wire [7:0] m_axi_io_awlen,
    output wire [2:0] m_axi_io_awsize,
    output wire [1:0] m_axi_io_awburst,
    output wire [3:0] m_axi_io_awcache,
    output wire [2:0] m_axi_io_awprot,
    output wire [3:0] m_axi_io_awqos,
    output wire m_axi_io_awlock,
    output wire m_axi_io_awvalid,
    input wire m_axi_io_awready,
    output wire [31:0] m_axi_io_wdata,
    output wire [3:0] m_axi_io_wstrb,
    output wire m_axi_io_wlast,
    output wire m_axi_io_wvalid,
    input wire m_axi_io_wready,
    input wire [1:0] m_axi_io_bresp,
    input wire m_axi_io_bvalid,
    output wire m_axi_io_bready
);
`include "fornax_kernel_regs.vh"
    localparam [31:0] VOCAB32 = VOCAB;
    localparam [31:0] CTX32 = CTX;
    localparam [63:0] ROW_BYTES = 64'd4 * VOCAB;
    localparam [31:0] TOK_MASK = (32'd1 << TOK_W) - 32'd1;   // token ids are below 2^24: TDATA_W <= 24
    localparam integer E_AXI_READ = `FX_ERROR_AXI_READ, E_AXI_WRITE = `FX_ERROR_AXI_WRITE,
        E_KV = `FX_ERROR_KV_OVERFLOW, E_TOKEN = `FX_ERROR_BAD_TOKEN, E_ARG = `FX_ERROR_BAD_ARG;

    assign m_axi_io_arlen = 8'd0;       // one beat: one token id
    assign m_axi_io_arsize = 3'd2;
    assign m_axi_io_arburst = 2'b01;
    assign m_axi_io_arcache = 4'b0011;
    assign m_axi_io_arprot = 3'b000;
    assign m_axi_io_arqos = 4'd0;
    assign m_axi_io_arlock = 1'b0;

    // ---- run state ----
    localparam [2:0] S_IDLE = 3'd0, S_CHECK = 3'd1, S_NEXT = 3'd2, S_FEED = 3'd3, S_WAIT = 3'd4, S_ABORT = 3'd5,
        S_DRAIN = 3'd6;
    reg [2:0] state;
    reg [63:0] out_ptr, logit_ptr, fetch_ptr;
    reg [31:0] plen, pos, fetched;
    reg [31:0] remaining;               // tokens still to generate: MAX_NEW less the ones written
    reg ignore_eos, write_logits, from_pred, stop_set;
    reg [2:0] stop;                     // the reason chosen at the decision point
    reg [31:0] eos [0:3];
    reg [TOK_W-1:0] pred_id;
    reg bad_arg;
    reg [31:0] taken;                   // logits of the current position taken into the writer
    reg logits_cmd;                     // the current position's logits run was queued
    reg [2:0] rst_left;                 // cycles of core reset still to give
    // the prefetched prompt id
    reg nv, nbad;
    reg [31:0] nid;
    // writer interface
    reg cmd_valid;
    reg [63:0] cmd_addr;
    reg [31:0] cmd_words;
    wire cmd_ready;
    reg tok_valid;                      // the generated id waiting to enter the data FIFO
    reg [31:0] tok_word;
    wire data_ready;
    wire wr_idle, wr_err, w_beat;
    wire [1:0] wr_err_resp;

    // logits go to the writer when asked for, else they are taken and dropped; after an abort the
    // rest of the position's run is padded with zeros
    wire logit_to_writer = write_logits && state == S_WAIT;
    wire pad = state == S_ABORT && logits_cmd && taken != VOCAB32;
    assign core_logit_tready = state == S_WAIT && (!write_logits || (data_ready && !tok_valid));
    // a prediction is taken once the id write it may cause can be queued
    assign core_pred_tready = state == S_WAIT && !cmd_valid && !tok_valid;
    wire pred_fire = core_pred_tvalid && core_pred_tready;
    wire [31:0] nid_tok = nid & TOK_MASK;
    wire [31:0] pred_tok = {{(32-TOK_W){1'b0}}, pred_id};
    wire [31:0] pred_wide = {{(32-TDATA_W){1'b0}}, core_pred_tdata};
    wire [31:0] pred_word = pred_wide & TOK_MASK;
    reg pred_is_eos;                    // the prediction equals one of the run's EOS ids (0xFFFFFFFF: none)
    integer j;
    always @(*) begin
        pred_is_eos = 1'b0;
        for (j = 0; j < 4; j = j + 1) begin
            if (pred_word == eos[j]) pred_is_eos = 1'b1;   // ids are < 2^24, so 0xFFFFFFFF never matches
        end
    end

    // ---- error sources ----
    reg [NOBS-1:0] rbeat_q;
    reg [2*NOBS-1:0] rresp_q;
    reg [6:0] beats_now;                // weight/KV R beats two cycles ago (<= 32 ports + KV)
    reg [6:0] pop;
    reg w_err_now;
    reg [1:0] w_err_resp_now;
    integer i;
    always @(*) begin
        pop = 7'd0;
        w_err_now = 1'b0;
        w_err_resp_now = 2'b00;
        for (i = 0; i < NOBS; i = i + 1) begin
            pop = pop + {6'd0, rbeat_q[i]};
        end
        for (i = NOBS - 1; i >= 0; i = i - 1) begin
            if (rbeat_q[i] && rresp_q[2*i+1]) begin
                w_err_now = 1'b1;
                w_err_resp_now = rresp_q[2*i +: 2];
            end
        end
    end
    wire io_r_fire = m_axi_io_rvalid && m_axi_io_rready;
    wire ar_fire = m_axi_io_arvalid && m_axi_io_arready;
    wire busy = state != S_IDLE;
    wire errors_other = st_error[E_AXI_READ] || st_error[E_AXI_WRITE] || st_error[E_TOKEN] || st_error[E_ARG];

    // ---- alignment checks of the arguments (registered in S_CHECK) ----
    reg wb_misaligned;
    always @(*) begin
        wb_misaligned = 1'b0;
        for (i = 0; i < NW; i = i + 1) begin
            if (w_base[64*i +: 12] != 12'd0) wb_misaligned = 1'b1;
        end
    end

    always @(posedge clk) begin
        if (rst) begin
            state <= S_IDLE;
            done <= 1'b0;
            done_error <= 1'b0;
            core_rst <= 1'b0;
            taken <= 32'd0;
            logits_cmd <= 1'b0;
            rst_left <= 3'd0;
            st_tokens <= 32'd0;
            st_stop <= `FX_STOP_NONE;
            st_error <= 5'd0;
            st_error_info <= 32'd0;
            st_cycles <= 64'd0;
            st_wbeats <= 64'd0;
            st_mcycles <= 64'd0;
            st_iobeats <= 64'd0;
            st_positions <= 32'd0;
            core_tok_tvalid <= 1'b0;
            core_tok_tdata <= {TDATA_W{1'b0}};
            core_tok_tuser <= 1'b0;
            m_axi_io_araddr <= 64'd0;
            m_axi_io_arvalid <= 1'b0;
            m_axi_io_rready <= 1'b0;
            out_ptr <= 64'd0;
            logit_ptr <= 64'd0;
            fetch_ptr <= 64'd0;
            plen <= 32'd0;
            remaining <= 32'd0;
            pos <= 32'd0;
            fetched <= 32'd0;
            ignore_eos <= 1'b0;
            write_logits <= 1'b0;
            from_pred <= 1'b0;
            stop_set <= 1'b0;
            stop <= `FX_STOP_NONE;
            pred_id <= {TOK_W{1'b0}};
            bad_arg <= 1'b0;
            nv <= 1'b0;
            nbad <= 1'b0;
            nid <= 32'd0;
            cmd_valid <= 1'b0;
            cmd_addr <= 64'd0;
            cmd_words <= 32'd0;
            tok_valid <= 1'b0;
            tok_word <= 32'd0;
            rbeat_q <= {NOBS{1'b0}};
            rresp_q <= {2*NOBS{1'b0}};
            beats_now <= 7'd0;
            for (i = 0; i < 4; i = i + 1) begin
                eos[i] <= `FX_EOS_ID_RESET;
            end
        end else begin
            done <= 1'b0;
            done_error <= 1'b0;
            rbeat_q <= w_rbeat;
            rresp_q <= w_rresp;
            beats_now <= pop;
            // ---- counters and sticky errors while a run is in progress ----
            if (busy) begin
                st_cycles <= st_cycles + 64'd1;
                st_mcycles <= st_mcycles + {63'd0, perf_matrix};
                st_wbeats <= st_wbeats + {57'd0, beats_now};
                st_iobeats <= st_iobeats + {63'd0, io_r_fire} + {63'd0, w_beat};
                if (w_err_now || core_axi_error) begin
                    st_error[E_AXI_READ] <= 1'b1;
                    if (!st_error[E_AXI_READ] && w_err_now) st_error_info[13:12] <= w_err_resp_now;
                end
                if (core_axi_error) st_error_info[7:0] <= core_axi_error_code;
                if (wr_err) begin
                    st_error[E_AXI_WRITE] <= 1'b1;
                    st_error_info[11:10] <= wr_err_resp;
                end
                if (core_overflow) st_error[E_KV] <= 1'b1;
            end
            // ---- prompt prefetch: one id ahead of the core ----
            if (ar_fire) begin
                m_axi_io_arvalid <= 1'b0;
                m_axi_io_rready <= 1'b1;
            end else if ((state == S_NEXT || state == S_FEED || state == S_WAIT) && !stop_set && !nv
                    && !m_axi_io_arvalid && !m_axi_io_rready && fetched < plen) begin
                m_axi_io_arvalid <= 1'b1;
                m_axi_io_araddr <= fetch_ptr;
            end
            if (io_r_fire) begin
                m_axi_io_rready <= 1'b0;
                nv <= 1'b1;
                nid <= m_axi_io_rdata;
                nbad <= m_axi_io_rdata >= VOCAB32;
                fetched <= fetched + 32'd1;
                fetch_ptr <= fetch_ptr + 64'd4;
                if (m_axi_io_rresp[1]) begin
                    st_error[E_AXI_READ] <= 1'b1;
                    if (!st_error[E_AXI_READ]) st_error_info[9:8] <= m_axi_io_rresp;
                end
            end
            // ---- writer queue: the logits run at each feed, the id after a generated prediction ----
            if (cmd_valid && cmd_ready) cmd_valid <= 1'b0;
            if (tok_valid && data_ready) tok_valid <= 1'b0;
            if (((logit_to_writer && core_logit_tvalid && !tok_valid) || pad) && data_ready) taken <= taken + 32'd1;
            // ---- the core's AXI error: abort the position in progress ----
            if ((state == S_FEED || state == S_WAIT) && core_axi_error) begin
                core_tok_tvalid <= 1'b0;
                core_rst <= 1'b1;
                rst_left <= 3'd4;
                stop <= `FX_STOP_ERROR;
                stop_set <= 1'b1;
            end

            case (state)
                S_IDLE: if (start) begin
                    state <= S_CHECK;
                    plen <= prompt_len;
                    remaining <= max_new;
                    ignore_eos <= flags[`FX_FLAGS_IGNORE_EOS];
                    write_logits <= flags[`FX_FLAGS_WRITE_LOGITS];
                    out_ptr <= output_addr;
                    logit_ptr <= logits_addr;
                    fetch_ptr <= prompt_addr;
                    for (i = 0; i < 4; i = i + 1) begin
                        eos[i] <= eos_ids[32*i +: 32];
                    end
                    bad_arg <= prompt_len == 32'd0 || prompt_addr[1:0] != 2'd0 || output_addr[1:0] != 2'd0
                            || (flags[`FX_FLAGS_WRITE_LOGITS] && logits_addr[1:0] != 2'd0)
                            || (KV_DRAM != 0 && kv_addr_low != 12'd0) || wb_misaligned;
                    pos <= 32'd0;
                    fetched <= 32'd0;
                    nv <= 1'b0;
                    from_pred <= 1'b0;
                    stop_set <= 1'b0;
                    stop <= `FX_STOP_NONE;
                    st_tokens <= 32'd0;
                    st_stop <= `FX_STOP_NONE;
                    st_error <= 5'd0;
                    st_error_info <= 32'd0;
                    st_cycles <= 64'd0;
                    st_wbeats <= 64'd0;
                    st_mcycles <= 64'd0;
                    st_iobeats <= 64'd0;
                    st_positions <= 32'd0;
                end
                S_CHECK: begin
                    if (bad_arg) begin
                        st_error[E_ARG] <= 1'b1;
                        stop <= `FX_STOP_ERROR;
                        stop_set <= 1'b1;
                        state <= S_DRAIN;
                    end else begin
                        state <= S_NEXT;
                    end
                end
                S_NEXT: begin
                    // what the core computes next: prompt[pos], or its own last prediction
                    if (errors_other) begin
                        stop <= `FX_STOP_ERROR;
                        stop_set <= 1'b1;
                        state <= S_DRAIN;
                    end else if (pos == CTX32) begin
                        st_error[E_KV] <= 1'b1;
                        stop <= `FX_STOP_CONTEXT;
                        stop_set <= 1'b1;
                        state <= S_DRAIN;
                    end else if (cmd_valid) begin
                        // the previous write command must be queued first (a raised tvalid is never withdrawn)
                    end else if (from_pred) begin
                        core_tok_tdata <= pred_tok[TDATA_W-1:0];
                        core_tok_tuser <= 1'b0;
                        core_tok_tvalid <= 1'b1;
                        state <= S_FEED;
                    end else if (nv) begin
                        if (nbad) begin
                            st_error[E_TOKEN] <= 1'b1;
                            st_error_info[31:16] <= pos[15:0];
                            stop <= `FX_STOP_ERROR;
                            stop_set <= 1'b1;
                            state <= S_DRAIN;
                        end else begin
                            nv <= 1'b0;
                            core_tok_tdata <= nid_tok[TDATA_W-1:0];
                            core_tok_tuser <= pos == 32'd0;
                            core_tok_tvalid <= 1'b1;
                            state <= S_FEED;
                        end
                    end
                end
                S_FEED: if (core_axi_error) begin
                    state <= S_ABORT;
                end else if (core_tok_tready) begin
                    core_tok_tvalid <= 1'b0;
                    pos <= pos + 32'd1;
                    st_positions <= pos + 32'd1;
                    taken <= 32'd0;
                    logits_cmd <= write_logits;
                    if (write_logits) begin
                        cmd_valid <= 1'b1;
                        cmd_addr <= logit_ptr;
                        cmd_words <= VOCAB32;
                        logit_ptr <= logit_ptr + ROW_BYTES;
                    end
                    state <= S_WAIT;
                end
                S_WAIT: if (core_axi_error) begin
                    state <= S_ABORT;
                end else if (pred_fire) begin
                    pred_id <= pred_word[TOK_W-1:0];
                    from_pred <= 1'b0;
                    state <= S_NEXT;
                    if (pos >= plen) begin
                        // a generated position: its prediction is the next token
                        if (errors_other) begin
                            stop <= `FX_STOP_ERROR;
                            stop_set <= 1'b1;
                            state <= S_DRAIN;
                        end else if (remaining == 32'd0) begin
                            stop <= `FX_STOP_LENGTH;
                            stop_set <= 1'b1;
                            state <= S_DRAIN;
                        end else begin
                            cmd_valid <= 1'b1;
                            cmd_addr <= out_ptr;
                            cmd_words <= 32'd1;
                            tok_valid <= 1'b1;
                            tok_word <= pred_word;
                            out_ptr <= out_ptr + 64'd4;
                            st_tokens <= st_tokens + 32'd1;
                            remaining <= remaining - 32'd1;
                            from_pred <= 1'b1;
                            if (pred_is_eos && !ignore_eos) begin
                                stop <= `FX_STOP_EOS;
                                stop_set <= 1'b1;
                                state <= S_DRAIN;
                            end else if (remaining == 32'd1) begin
                                stop <= `FX_STOP_LENGTH;
                                stop_set <= 1'b1;
                                state <= S_DRAIN;
                            end
                        end
                    end
                end
                S_ABORT: begin
                    if (rst_left != 3'd0) rst_left <= rst_left - 3'd1;
                    else core_rst <= 1'b0;
                    if (rst_left == 3'd0 && !pad) state <= S_DRAIN;
                end
                default: begin  // S_DRAIN: the last writes and the prefetch in flight complete
                    if (wr_idle && !cmd_valid && !tok_valid && !m_axi_io_arvalid && !m_axi_io_rready) begin
                        state <= S_IDLE;
                        done <= 1'b1;
                        done_error <= st_error != 5'd0;
                        st_stop <= (errors_other || wr_err) ? `FX_STOP_ERROR : stop;
                    end
                end
            endcase
        end
    end

    wire _unused_ok = &{1'b0, m_axi_io_rlast, core_logit_tlast, pred_wide[31:TOK_W], nid[31:TOK_W], w_base, flags[31:2],
            nid_tok[31:TDATA_W], pred_tok[31:TDATA_W], 1'b0};

    fornax_axi_writer writer (
        .clk(clk), .rst(rst), .clear(start),
        .cmd_valid(cmd_valid), .cmd_ready(cmd_ready), .cmd_addr(cmd_addr), .cmd_words(cmd_words),
        .data_valid(tok_valid || (logit_to_writer && core_logit_tvalid) || pad),
        .data_ready(data_ready),
        .data(tok_valid ? tok_word : pad ? 32'd0 : core_logit_tdata),
        .idle(wr_idle), .err(wr_err), .err_resp(wr_err_resp), .w_beat(w_beat),
        .m_axi_awaddr(m_axi_io_awaddr), .m_axi_awlen(m_axi_io_awlen), .m_axi_awsize(m_axi_io_awsize),
        .m_axi_awburst(m_axi_io_awburst), .m_axi_awcache(m_axi_io_awcache), .m_axi_awprot(m_axi_io_awprot),
        .m_axi_awqos(m_axi_io_awqos), .m_axi_awlock(m_axi_io_awlock), .m_axi_awvalid(m_axi_io_awvalid),
        .m_axi_awready(m_axi_io_awready),
        .m_axi_wdata(m_axi_io_wdata), .m_axi_wstrb(m_axi_io_wstrb), .m_axi_wlast(m_axi_io_wlast),
        .m_axi_wvalid(m_axi_io_wvalid), .m_axi_wready(m_axi_io_wready),
        .m_axi_bresp(m_axi_io_bresp), .m_axi_bvalid(m_axi_io_bvalid), .m_axi_bready(m_axi_io_bready));
endmodule
