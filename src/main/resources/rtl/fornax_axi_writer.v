// Fornax AXI4 write engine: writes runs of 32-bit words (a command {address, words}, then that many
// data words in order) to memory through an AXI4 write master. Runs are split into INCR bursts of
// at most MAX_BURST beats that never cross a 4 KB boundary; a burst's address is issued only when
// all its words are in the data FIFO, so W beats follow without gaps and the master never holds the
// interconnect waiting for data. Up to MAX_OUT bursts may await their write response.
//
// Every AXI output is a register (no input-to-output combinational path); valid signals are low in
// reset. Addresses must be 4-byte aligned (the kernel checks its arguments). A write response other
// than OKAY sets err (and err_resp holds the first bad response) until clear.
module fornax_axi_writer #(
    parameter integer LOG2_DEPTH = 6,   // data FIFO: 2^LOG2_DEPTH words
    parameter integer MAX_BURST = 16,   // beats per burst (16: Zynq HP ports, any AXI4 slave)
    parameter integer MAX_OUT = 16      // bursts awaiting their write response
) (
    input wire clk,
    input wire rst,
    input wire clear,                   // a run starts: forget err
    // commands: a run of `cmd_words` words from byte address `cmd_addr`
    input wire cmd_valid,
    output wire cmd_ready,
    input wire [63:0] cmd_addr,
    input wire [31:0] cmd_words,
    // the runs' words, in order
    input wire data_valid,
    output wire data_ready,
    input wire [31:0] data,
    output wire idle,                   // nothing queued, in flight or awaiting a response
    output reg err,
    output reg [1:0] err_resp,
    output reg w_beat,                  // a W beat was accepted in the previous cycle (registered)
    // AXI4 write master (32-bit data, 64-bit address)
    output reg [63:0] m_axi_awaddr,
    output reg [7:0] m_axi_awlen,
    output wire [2:0] m_axi_awsize,
    output wire [1:0] m_axi_awburst,
    output wire [3:0] m_axi_awcache,
    output wire [2:0] m_axi_awprot,
    output wire [3:0] m_axi_awqos,
    output wire m_axi_awlock,
    output reg m_axi_awvalid,
    input wire m_axi_awready,
    output reg [31:0] m_axi_wdata,
    output wire [3:0] m_axi_wstrb,
    output reg m_axi_wlast,
    output reg m_axi_wvalid,
    input wire m_axi_wready,
    input wire [1:0] m_axi_bresp,
    input wire m_axi_bvalid,
    output reg m_axi_bready
);
    localparam integer DEPTH = 1 << LOG2_DEPTH;
    localparam integer LW = 9;          // burst length bits: holds MAX_BURST (<= 256)
    localparam integer OW = 9;          // outstanding-burst count bits: holds MAX_OUT (<= 256)
    localparam [LW-1:0] MAXB = MAX_BURST[LW-1:0];
    localparam [OW-1:0] MAXO = MAX_OUT[OW-1:0];

    assign m_axi_awsize = 3'd2;         // 4 bytes per beat
    assign m_axi_awburst = 2'b01;       // INCR
    assign m_axi_awcache = 4'b0011;     // normal, non-cacheable, bufferable
    assign m_axi_awprot = 3'b000;
    assign m_axi_awqos = 4'd0;
    assign m_axi_awlock = 1'b0;
    assign m_axi_wstrb = 4'hF;

    // ---- command FIFO (4 entries) ----
    reg [63:0] q_addr [0:3];
    reg [31:0] q_words [0:3];
    reg [1:0] q_rd, q_wr;
    reg [2:0] q_n;
    assign cmd_ready = q_n != 3'd4;
    wire q_push = cmd_valid && cmd_ready;

    // ---- data FIFO ----
    reg [31:0] mem [0:DEPTH-1];
    reg [LOG2_DEPTH-1:0] d_rd, d_wr;
    reg [LOG2_DEPTH:0] d_n;             // words in the FIFO
    reg [LOG2_DEPTH:0] unclaimed;       // words no issued burst has claimed yet
    assign data_ready = d_n != DEPTH[LOG2_DEPTH:0];
    wire d_push = data_valid && data_ready;

    // ---- the run being split into bursts ----
    reg run_active;
    reg [63:0] run_addr;
    reg [31:0] run_left;
    // A burst's length is planned in two registered steps (timing): first the cap (MAX_BURST or the beats
    // to the next 4 KB boundary) and whether the run's rest is short, then the smaller of the two.
    reg cap_valid, plan_valid, left_small;
    reg [LW-1:0] cap, left_lo, plan_len;
    wire [10:0] beats_4k = 11'h400 - {1'b0, run_addr[11:2]};   // beats to the next 4 KB boundary

    reg [OW-1:0] outstanding;
    wire issue = plan_valid && !m_axi_awvalid && (unclaimed >= plan_len[LOG2_DEPTH:0])   // MAX_BURST <= DEPTH
            && outstanding != MAXO;
    wire b_fire = m_axi_bvalid && m_axi_bready;

    // ---- burst lengths for the W channel (one per issued burst) ----
    reg [LW-1:0] l_mem [0:15];
    reg [3:0] l_rd, l_wr;
    reg [4:0] l_n;
    reg wb_active;
    reg [LW-1:0] wb_left;
    wire w_take = wb_active && d_n != 0 && (!m_axi_wvalid || m_axi_wready);
    wire d_pop = w_take;
    wire l_pop = !wb_active && l_n != 0;

    always @(posedge clk) begin
        if (rst) begin
            q_rd <= 2'd0;
            q_wr <= 2'd0;
            q_n <= 3'd0;
            d_rd <= {LOG2_DEPTH{1'b0}};
            d_wr <= {LOG2_DEPTH{1'b0}};
            d_n <= {(LOG2_DEPTH + 1){1'b0}};
            unclaimed <= {(LOG2_DEPTH + 1){1'b0}};
            run_active <= 1'b0;
            run_addr <= 64'd0;
            run_left <= 32'd0;
            cap_valid <= 1'b0;
            plan_valid <= 1'b0;
            left_small <= 1'b0;
            cap <= {LW{1'b0}};
            left_lo <= {LW{1'b0}};
            plan_len <= {LW{1'b0}};
            outstanding <= {OW{1'b0}};
            l_rd <= 4'd0;
            l_wr <= 4'd0;
            l_n <= 5'd0;
            wb_active <= 1'b0;
            wb_left <= {LW{1'b0}};
            m_axi_awvalid <= 1'b0;
            m_axi_awaddr <= 64'd0;
            m_axi_awlen <= 8'd0;
            m_axi_wvalid <= 1'b0;
            m_axi_wdata <= 32'd0;
            m_axi_wlast <= 1'b0;
            m_axi_bready <= 1'b0;
            w_beat <= 1'b0;
            err <= 1'b0;
            err_resp <= 2'b00;
        end else begin
            m_axi_bready <= 1'b1;
            w_beat <= m_axi_wvalid && m_axi_wready;
            // commands
            if (q_push) begin
                q_addr[q_wr] <= cmd_addr;
                q_words[q_wr] <= cmd_words;
                q_wr <= q_wr + 2'd1;
            end
            if (!run_active && q_n != 0) begin
                run_active <= q_words[q_rd] != 32'd0;
                run_addr <= q_addr[q_rd];
                run_left <= q_words[q_rd];
                q_rd <= q_rd + 2'd1;
            end
            q_n <= q_n + {2'b0, q_push} - {2'b0, !run_active && q_n != 0};
            // data
            if (d_push) begin
                mem[d_wr] <= data;
                d_wr <= d_wr + 1'b1;
            end
            d_n <= d_n + {{LOG2_DEPTH{1'b0}}, d_push} - {{LOG2_DEPTH{1'b0}}, d_pop};
            // plan the next burst of the run, then issue it once its words are all in the FIFO
            if (run_active && !plan_valid && !cap_valid && !issue) begin
                cap_valid <= 1'b1;
                cap <= (beats_4k < {2'b0, MAXB}) ? beats_4k[LW-1:0] : MAXB;
                left_small <= run_left[31:LW] == {(32-LW){1'b0}};
                left_lo <= run_left[LW-1:0];
            end
            if (cap_valid) begin
                cap_valid <= 1'b0;
                plan_valid <= 1'b1;
                plan_len <= (left_small && left_lo < cap) ? left_lo : cap;
            end
            unclaimed <= unclaimed + {{LOG2_DEPTH{1'b0}}, d_push}
                    - (issue ? plan_len[LOG2_DEPTH:0] : {(LOG2_DEPTH + 1){1'b0}});
            if (issue) begin
                m_axi_awvalid <= 1'b1;
                m_axi_awaddr <= run_addr;
                m_axi_awlen <= plan_len[7:0] - 8'd1;
                run_addr <= run_addr + {53'd0, plan_len, 2'b00};
                run_left <= run_left - {{(32-LW){1'b0}}, plan_len};
                run_active <= run_left != {{(32-LW){1'b0}}, plan_len};
                plan_valid <= 1'b0;
                l_mem[l_wr] <= plan_len;
                l_wr <= l_wr + 4'd1;
            end else if (m_axi_awready) begin
                m_axi_awvalid <= 1'b0;
            end
            l_n <= l_n + {4'd0, issue} - {4'd0, l_pop};
            outstanding <= outstanding + {{(OW-1){1'b0}}, issue} - {{(OW-1){1'b0}}, b_fire};
            // W channel: the bursts' beats in order
            if (l_pop) begin
                wb_active <= 1'b1;
                wb_left <= l_mem[l_rd];
                l_rd <= l_rd + 4'd1;
            end
            if (w_take) begin
                m_axi_wvalid <= 1'b1;
                m_axi_wdata <= mem[d_rd];
                m_axi_wlast <= wb_left == {{(LW-1){1'b0}}, 1'b1};
                d_rd <= d_rd + 1'b1;
                wb_left <= wb_left - {{(LW-1){1'b0}}, 1'b1};
                if (wb_left == {{(LW-1){1'b0}}, 1'b1}) begin
                    wb_active <= 1'b0;
                end
            end else if (m_axi_wready) begin
                m_axi_wvalid <= 1'b0;
            end
            // responses
            if (clear) begin
                err <= 1'b0;
                err_resp <= 2'b00;
            end else if (b_fire && m_axi_bresp[1] && !err) begin
                err <= 1'b1;
                err_resp <= m_axi_bresp;
            end
        end
    end

    assign idle = !run_active && q_n == 0 && !cap_valid && !plan_valid && !m_axi_awvalid && l_n == 0 && !wb_active
            && !m_axi_wvalid && outstanding == 0 && d_n == 0;
endmodule
