// Fornax kernel control registers: the AXI4-Lite slave s_axi_control of fornax_kernel, with the
// register map of dev.fornax.kernel.RegisterMap (offsets, bits and reset values come from the
// generated include fornax_kernel_regs.vh; docs/HARDWARE.md has the table).
//
// Vitis ap_ctrl_hs semantics: writing AP_CTRL.AP_START = 1 starts a run when none is in progress;
// AP_START stays 1 until the run ends, then clears (unless AUTO_RESTART) while AP_DONE and AP_READY
// set; reading AP_CTRL clears AP_DONE and AP_READY. ISR bits are set by their events when enabled
// in IER and toggled by writing 1; `interrupt` = GIE && ISR != 0. 64-bit counters: reading the low
// word latches the high word, which the next read of the high word returns.
//
// Timing: every output is a register or a function of registers only. The read path takes the
// address in one cycle, selects the word in the next (a registered read mux) and presents it in the
// third; writes take the address, then the data, then answer. rst is synchronous, active high.
module fornax_kernel_regs #(
    parameter integer NW = 1,               // weight ports: W<i>_BASE exists for i < NW
    parameter integer NWP = 1,              // max(NW, 1): width of the w_base vector
    parameter [31:0] VOCAB = 32'd512,
    parameter [31:0] CONTEXT = 32'd512,
    parameter [31:0] FEATURES = 32'd0,
    parameter [31:0] LANES = 32'd16,
    parameter [31:0] DESIGN_ID = 32'd0
) (
    input wire clk,
    input wire rst,
    // AXI4-Lite slave
    input wire [11:0] s_axi_awaddr,
    input wire s_axi_awvalid,
    output wire s_axi_awready,
    input wire [31:0] s_axi_wdata,
    input wire [3:0] s_axi_wstrb,
    input wire s_axi_wvalid,
    output wire s_axi_wready,
    output wire [1:0] s_axi_bresp,
    output wire s_axi_bvalid,
    input wire s_axi_bready,
    input wire [11:0] s_axi_araddr,
    input wire s_axi_arvalid,
    output wire s_axi_arready,
    output reg [31:0] s_axi_rdata,
    output wire [1:0] s_axi_rresp,
    output wire s_axi_rvalid,
    input wire s_axi_rready,
    output reg irq,                         // the kernel's `interrupt`
    // the run: start pulse out, done pulse in
    output wire start,
    input wire done,
    input wire done_error,
    // arguments (the sequencer latches them at start; the bases feed the core directly)
    output wire [63:0] prompt_addr,
    output wire [63:0] output_addr,
    output wire [63:0] logits_addr,
    output wire [63:0] kv_addr,
    output wire [31:0] prompt_len,
    output wire [31:0] max_new,
    output wire [31:0] flags,
    output wire [127:0] eos_ids,
    output wire [64*NWP-1:0] w_base,
    // status
    input wire [31:0] st_tokens,
    input wire [2:0] st_stop,
    input wire [4:0] st_error,
    input wire [31:0] st_error_info,
    input wire [63:0] st_cycles,
    input wire [63:0] st_wbeats,
    input wire [63:0] st_mcycles,
    input wire [63:0] st_iobeats,
    input wire [31:0] st_positions
);
`include "fornax_kernel_regs.vh"

    // ---- registers ----
    reg ap_start, ap_done, ap_ready, auto_restart, running, gie;
    reg [2:0] ier, isr;
    reg [63:0] r_prompt, r_output, r_logits, r_kv;
    reg [31:0] r_plen, r_maxnew, r_flags;
    reg [31:0] r_eos [0:3];
    reg [63:0] r_wb [0:NWP-1];
    reg [31:0] sh_cycles, sh_wbeats, sh_mcycles, sh_iobeats;   // high words latched by a low-word read

    assign prompt_addr = r_prompt;
    assign output_addr = r_output;
    assign logits_addr = r_logits;
    assign kv_addr = r_kv;
    assign prompt_len = r_plen;
    assign max_new = r_maxnew;
    assign flags = r_flags;
    assign eos_ids = {r_eos[3], r_eos[2], r_eos[1], r_eos[0]};
    genvar gi;
    generate
        for (gi = 0; gi < NWP; gi = gi + 1) begin : wb_out
            assign w_base[64*gi +: 64] = r_wb[gi];
        end
    endgenerate
    assign start = ap_start && !running;

    // ---- write channel: address, then data, then response ----
    localparam [1:0] W_RESET = 2'd0, W_ADDR = 2'd1, W_DATA = 2'd2, W_RESP = 2'd3;
    reg [1:0] wstate;
    reg [9:0] wword;          // the write's word index
    assign s_axi_awready = wstate == W_ADDR;
    assign s_axi_wready = wstate == W_DATA;
    assign s_axi_bvalid = wstate == W_RESP;
    assign s_axi_bresp = 2'b00;
    wire w_fire = s_axi_wvalid && wstate == W_DATA;
    wire [31:0] wmask = {{8{s_axi_wstrb[3]}}, {8{s_axi_wstrb[2]}}, {8{s_axi_wstrb[1]}}, {8{s_axi_wstrb[0]}}};

    function [31:0] merge(input [31:0] old, input [31:0] data, input [31:0] mask);
        merge = (old & ~mask) | (data & mask);
    endfunction

    // ---- read channel: address, select, data ----
    localparam [1:0] R_RESET = 2'd0, R_ADDR = 2'd1, R_SEL = 2'd2, R_DATA = 2'd3;
    reg [1:0] rstate;
    reg [9:0] rword;          // the read's word index
    assign s_axi_arready = rstate == R_ADDR;
    assign s_axi_rvalid = rstate == R_DATA;
    assign s_axi_rresp = 2'b00;
    wire r_sel = rstate == R_SEL;               // the cycle the word is selected (read side effects)
    wire rd_ctrl = r_sel && rword == `FX_AP_CTRL_W;

    // W<i>_BASE and EOS_ID<i> element decode: word index relative to the array base, registered with
    // the address (the subtraction stays off the register-select paths)
    reg [9:0] w_wb_rel, r_wb_rel, w_eos_rel;

    // The read mux: one case over the word index (a parallel select), the arrays by their element index.
    localparam integer WB_WORDS_I = 2 * NW;
    localparam [9:0] WB_WORDS = WB_WORDS_I[9:0];
    wire wb_hit;                                // the read word is one of W<i>_BASE, i < NW
    generate
        if (NW > 0) begin : g_wb
            assign wb_hit = r_wb_rel < WB_WORDS;
        end else begin : g_no_wb
            assign wb_hit = 1'b0;
        end
    endgenerate
    wire [9:0] wb_idx = {1'b0, r_wb_rel[9:1]};
    reg [63:0] wb_sel;
    reg [31:0] rd_word;
    integer k;
    always @(*) begin
        wb_sel = 64'd0;
        for (k = 0; k < NW; k = k + 1) begin
            if (wb_idx == k[9:0]) wb_sel = r_wb[k];
        end
        case (rword)
            `FX_AP_CTRL_W: rd_word = {24'd0, auto_restart, 3'd0, ap_ready, !running, ap_done, ap_start};
            `FX_GIE_W: rd_word = {31'd0, gie};
            `FX_IER_W: rd_word = {29'd0, ier};
            `FX_ISR_W: rd_word = {29'd0, isr};
            `FX_PROMPT_ADDR_W: rd_word = r_prompt[31:0];
            `FX_PROMPT_ADDR_W + 10'd1: rd_word = r_prompt[63:32];
            `FX_OUTPUT_ADDR_W: rd_word = r_output[31:0];
            `FX_OUTPUT_ADDR_W + 10'd1: rd_word = r_output[63:32];
            `FX_LOGITS_ADDR_W: rd_word = r_logits[31:0];
            `FX_LOGITS_ADDR_W + 10'd1: rd_word = r_logits[63:32];
            `FX_KV_ADDR_W: rd_word = r_kv[31:0];
            `FX_KV_ADDR_W + 10'd1: rd_word = r_kv[63:32];
            `FX_PROMPT_LEN_W: rd_word = r_plen;
            `FX_MAX_NEW_W: rd_word = r_maxnew;
            `FX_FLAGS_W: rd_word = r_flags;
            `FX_EOS_ID_W: rd_word = r_eos[0];
            `FX_EOS_ID_W + 10'd1: rd_word = r_eos[1];
            `FX_EOS_ID_W + 10'd2: rd_word = r_eos[2];
            `FX_EOS_ID_W + 10'd3: rd_word = r_eos[3];
            `FX_TOKENS_W: rd_word = st_tokens;
            `FX_STOP_REASON_W: rd_word = {29'd0, st_stop};
            `FX_ERROR_W: rd_word = {27'd0, st_error};
            `FX_ERROR_INFO_W: rd_word = st_error_info;
            `FX_CYCLES_W: rd_word = st_cycles[31:0];
            `FX_CYCLES_W + 10'd1: rd_word = sh_cycles;
            `FX_WEIGHT_BEATS_W: rd_word = st_wbeats[31:0];
            `FX_WEIGHT_BEATS_W + 10'd1: rd_word = sh_wbeats;
            `FX_MATRIX_CYCLES_W: rd_word = st_mcycles[31:0];
            `FX_MATRIX_CYCLES_W + 10'd1: rd_word = sh_mcycles;
            `FX_IO_BEATS_W: rd_word = st_iobeats[31:0];
            `FX_IO_BEATS_W + 10'd1: rd_word = sh_iobeats;
            `FX_POSITIONS_W: rd_word = st_positions;
            `FX_MAGIC_W: rd_word = `FX_MAGIC_VALUE;
            `FX_VERSION_W: rd_word = `FX_VERSION_VALUE;
            `FX_VOCAB_W: rd_word = VOCAB;
            `FX_CONTEXT_W: rd_word = CONTEXT;
            `FX_WEIGHT_PORTS_W: rd_word = NW;
            `FX_FEATURES_W: rd_word = FEATURES;
            `FX_LANES_W: rd_word = LANES;
            `FX_DESIGN_ID_W: rd_word = DESIGN_ID;
            default: begin
                // W<i>_BASE (NW elements of two words); anything else reads 0
                if (wb_hit) rd_word = r_wb_rel[0] ? wb_sel[63:32] : wb_sel[31:0];
                else rd_word = 32'd0;
            end
        endcase
    end

    always @(posedge clk) begin
        if (rst) begin
            wstate <= W_RESET;
            wword <= 10'd0;
            w_wb_rel <= 10'd0;
            w_eos_rel <= 10'd0;
            r_wb_rel <= 10'd0;
            rstate <= R_RESET;
            rword <= 10'd0;
            s_axi_rdata <= 32'd0;
            ap_start <= 1'b0;
            ap_done <= 1'b0;
            ap_ready <= 1'b0;
            auto_restart <= 1'b0;
            running <= 1'b0;
            gie <= 1'b0;
            ier <= 3'd0;
            isr <= 3'd0;
            irq <= 1'b0;
            r_prompt <= 64'd0;
            r_output <= 64'd0;
            r_logits <= 64'd0;
            r_kv <= 64'd0;
            r_plen <= 32'd0;
            r_maxnew <= 32'd0;
            r_flags <= 32'd0;
            for (k = 0; k < 4; k = k + 1) begin
                r_eos[k] <= `FX_EOS_ID_RESET;
            end
            for (k = 0; k < NWP; k = k + 1) begin
                r_wb[k] <= 64'd0;
            end
            sh_cycles <= 32'd0;
            sh_wbeats <= 32'd0;
            sh_mcycles <= 32'd0;
            sh_iobeats <= 32'd0;
        end else begin
            // write channel
            case (wstate)
                W_RESET: wstate <= W_ADDR;
                W_ADDR: if (s_axi_awvalid) begin
                    wword <= s_axi_awaddr[11:2];
                    w_wb_rel <= s_axi_awaddr[11:2] - `FX_W_BASE_W;
                    w_eos_rel <= s_axi_awaddr[11:2] - `FX_EOS_ID_W;
                    wstate <= W_DATA;
                end
                W_DATA: if (s_axi_wvalid) wstate <= W_RESP;
                default: if (s_axi_bready) wstate <= W_ADDR;
            endcase
            // run control (ap_ctrl_hs); a write of AP_START below takes precedence over the clear at done
            if (start) running <= 1'b1;
            if (done) begin
                running <= 1'b0;
                ap_start <= auto_restart;
            end
            if (done) begin
                ap_done <= 1'b1;
                ap_ready <= 1'b1;
            end else if (rd_ctrl) begin
                ap_done <= 1'b0;
                ap_ready <= 1'b0;
            end
            if (w_fire) begin
                if (wword == `FX_AP_CTRL_W) begin
                    if (s_axi_wstrb[0] && s_axi_wdata[`FX_AP_CTRL_AP_START]) ap_start <= 1'b1;
                    if (s_axi_wstrb[0]) auto_restart <= s_axi_wdata[`FX_AP_CTRL_AUTO_RESTART];
                end
                if (wword == `FX_GIE_W && s_axi_wstrb[0]) gie <= s_axi_wdata[`FX_GIE_ENABLE];
                if (wword == `FX_IER_W && s_axi_wstrb[0]) begin
                    ier <= {s_axi_wdata[`FX_IER_ERROR], s_axi_wdata[`FX_IER_READY], s_axi_wdata[`FX_IER_DONE]};
                end
                if (wword == `FX_PROMPT_ADDR_W) r_prompt[31:0] <= merge(r_prompt[31:0], s_axi_wdata, wmask);
                if (wword == `FX_PROMPT_ADDR_W + 10'd1) r_prompt[63:32] <= merge(r_prompt[63:32], s_axi_wdata, wmask);
                if (wword == `FX_OUTPUT_ADDR_W) r_output[31:0] <= merge(r_output[31:0], s_axi_wdata, wmask);
                if (wword == `FX_OUTPUT_ADDR_W + 10'd1) r_output[63:32] <= merge(r_output[63:32], s_axi_wdata, wmask);
                if (wword == `FX_LOGITS_ADDR_W) r_logits[31:0] <= merge(r_logits[31:0], s_axi_wdata, wmask);
                if (wword == `FX_LOGITS_ADDR_W + 10'd1) r_logits[63:32] <= merge(r_logits[63:32], s_axi_wdata, wmask);
                if (wword == `FX_KV_ADDR_W) r_kv[31:0] <= merge(r_kv[31:0], s_axi_wdata, wmask);
                if (wword == `FX_KV_ADDR_W + 10'd1) r_kv[63:32] <= merge(r_kv[63:32], s_axi_wdata, wmask);
                if (wword == `FX_PROMPT_LEN_W) r_plen <= merge(r_plen, s_axi_wdata, wmask);
                if (wword == `FX_MAX_NEW_W) r_maxnew <= merge(r_maxnew, s_axi_wdata, wmask);
                if (wword == `FX_FLAGS_W) begin
                    r_flags <= merge(r_flags, s_axi_wdata, wmask)
                            & ((32'd1 << `FX_FLAGS_IGNORE_EOS) | (32'd1 << `FX_FLAGS_WRITE_LOGITS));
                end
                for (k = 0; k < 4; k = k + 1) begin
                    if (w_eos_rel == k[9:0]) r_eos[k] <= merge(r_eos[k], s_axi_wdata, wmask);
                end
                for (k = 0; k < NW; k = k + 1) begin
                    if (w_wb_rel == 2 * k[9:0]) r_wb[k][31:0] <= merge(r_wb[k][31:0], s_axi_wdata, wmask);
                    if (w_wb_rel == 2 * k[9:0] + 10'd1) r_wb[k][63:32] <= merge(r_wb[k][63:32], s_axi_wdata, wmask);
                end
            end
            // read channel
            case (rstate)
                R_RESET: rstate <= R_ADDR;
                R_ADDR: if (s_axi_arvalid) begin
                    rword <= s_axi_araddr[11:2];
                    r_wb_rel <= s_axi_araddr[11:2] - `FX_W_BASE_W;
                    rstate <= R_SEL;
                end
                R_SEL: rstate <= R_DATA;
                default: if (s_axi_rready) rstate <= R_ADDR;
            endcase
            if (r_sel) begin
                s_axi_rdata <= rd_word;
                if (rword == `FX_CYCLES_W) sh_cycles <= st_cycles[63:32];
                if (rword == `FX_WEIGHT_BEATS_W) sh_wbeats <= st_wbeats[63:32];
                if (rword == `FX_MATRIX_CYCLES_W) sh_mcycles <= st_mcycles[63:32];
                if (rword == `FX_IO_BEATS_W) sh_iobeats <= st_iobeats[63:32];
            end
            // interrupt status: an event sets its bit (when enabled), writing 1 toggles it
            for (k = 0; k < 3; k = k + 1) begin
                if (done && ier[k] && (k != `FX_ISR_ERROR || done_error)) begin
                    isr[k] <= 1'b1;
                end else if (w_fire && wword == `FX_ISR_W && s_axi_wstrb[0] && s_axi_wdata[k]) begin
                    isr[k] <= !isr[k];
                end
            end
            irq <= gie && isr != 3'd0;
        end
    end

    wire _unused_addr_low = &{1'b0, s_axi_awaddr[1:0], s_axi_araddr[1:0]};   // word-aligned registers
endmodule
