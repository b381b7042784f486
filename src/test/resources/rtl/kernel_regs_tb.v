// fornax_kernel_regs alone, driven over its AXI4-Lite slave: the control words' behaviour as the
// Vitis ap_ctrl_hs convention defines them (UG1393 "Kernel interface requirements", the control
// register layout of an HLS/RTL kernel), written here with literal offsets and bit positions rather
// than the generated include:
//   0x00 AP_CTRL: bit 0 AP_START (host sets, kernel clears when the run ends), bit 1 AP_DONE (clear on
//        read), bit 2 AP_IDLE, bit 3 AP_READY (clear on read), bit 7 AUTO_RESTART
//   0x04 GIE bit 0; 0x08 IER bit 0 done, bit 1 ready (bit 2: Fornax's error source)
//   0x0C ISR: toggle on write; the interrupt output is GIE && (ISR != 0)
// Prints "PASS n" or "FAIL ..." lines; $finish after the last check.
`timescale 1ns / 1ps
module kernel_regs_tb;
    reg clk = 1'b0;
    always #5 clk = !clk;
    reg rst = 1'b1;

    reg [11:0] awaddr = 12'd0, araddr = 12'd0;
    reg awvalid = 1'b0, wvalid = 1'b0, bready = 1'b0, arvalid = 1'b0, rready = 1'b0;
    reg [31:0] wdata = 32'd0;
    reg [3:0] wstrb = 4'hF;
    wire awready, wready, bvalid, arready, rvalid;
    wire [1:0] bresp, rresp;
    wire [31:0] rdata;
    wire irq, start;
    reg done = 1'b0, done_error = 1'b0;
    wire [63:0] prompt_addr, output_addr, logits_addr, kv_addr, w_base;
    wire [31:0] prompt_len, max_new, flags;
    wire [127:0] eos_ids;

    fornax_kernel_regs #(.NW(1), .NWP(1)) dut (
        .clk(clk), .rst(rst),
        .s_axi_awaddr(awaddr), .s_axi_awvalid(awvalid), .s_axi_awready(awready),
        .s_axi_wdata(wdata), .s_axi_wstrb(wstrb), .s_axi_wvalid(wvalid), .s_axi_wready(wready),
        .s_axi_bresp(bresp), .s_axi_bvalid(bvalid), .s_axi_bready(bready),
        .s_axi_araddr(araddr), .s_axi_arvalid(arvalid), .s_axi_arready(arready),
        .s_axi_rdata(rdata), .s_axi_rresp(rresp), .s_axi_rvalid(rvalid), .s_axi_rready(rready),
        .irq(irq), .start(start), .done(done), .done_error(done_error),
        .prompt_addr(prompt_addr), .output_addr(output_addr), .logits_addr(logits_addr), .kv_addr(kv_addr),
        .prompt_len(prompt_len), .max_new(max_new), .flags(flags), .eos_ids(eos_ids), .w_base(w_base),
        .st_tokens(32'd0), .st_stop(3'd0), .st_error(5'd0), .st_error_info(32'd0),
        .st_cycles(64'd0), .st_wbeats(64'd0), .st_mcycles(64'd0), .st_iobeats(64'd0), .st_positions(32'd0));

    integer passed = 0, failed = 0, starts = 0;
    always @(posedge clk) if (start) starts = starts + 1;

    // AW and W offered together (a master may), then the response
    task wr(input [11:0] a, input [31:0] d);
        begin
            @(negedge clk);
            awaddr = a; awvalid = 1'b1; wdata = d; wvalid = 1'b1; bready = 1'b1;
            while (awvalid || wvalid) begin
                @(posedge clk);
                if (awready) awvalid <= 1'b0;
                if (wready) wvalid <= 1'b0;
                @(negedge clk);
            end
            while (!bvalid) @(negedge clk);
            if (bresp != 2'b00) begin failed = failed + 1; $display("FAIL write 0x%03h: BRESP %0d", a, bresp); end
            @(posedge clk);
            @(negedge clk);
            bready = 1'b0;
        end
    endtask

    task rd(input [11:0] a, output [31:0] d);
        begin
            @(negedge clk);
            araddr = a; arvalid = 1'b1; rready = 1'b1;
            @(posedge clk);
            while (!arready) @(posedge clk);
            @(negedge clk);
            arvalid = 1'b0;
            while (!rvalid) @(negedge clk);
            d = rdata;
            if (rresp != 2'b00) begin failed = failed + 1; $display("FAIL read 0x%03h: RRESP %0d", a, rresp); end
            @(posedge clk);
            @(negedge clk);
            rready = 1'b0;
        end
    endtask

    task expect_reg(input [11:0] a, input [31:0] want, input [8*40-1:0] what);
        reg [31:0] got;
        begin
            rd(a, got);
            if (got === want) passed = passed + 1;
            else begin failed = failed + 1; $display("FAIL %0s: 0x%03h reads 0x%08h, want 0x%08h", what, a, got, want); end
        end
    endtask

    task expect_irq(input want, input [8*40-1:0] what);
        begin
            repeat (3) @(posedge clk);
            if (irq === want) passed = passed + 1;
            else begin failed = failed + 1; $display("FAIL %0s: interrupt %b, want %b", what, irq, want); end
        end
    endtask

    task pulse_done(input err);
        begin
            @(negedge clk);
            done = 1'b1; done_error = err;
            @(negedge clk);
            done = 1'b0; done_error = 1'b0;
        end
    endtask

    task expect_starts(input integer want, input [8*40-1:0] what);
        begin
            repeat (2) @(posedge clk);
            if (starts == want) passed = passed + 1;
            else begin failed = failed + 1; $display("FAIL %0s: %0d start pulses, want %0d", what, starts, want); end
        end
    endtask

    initial begin
        repeat (4) @(posedge clk);
        @(negedge clk);
        rst = 1'b0;
        // reset: idle, no interrupt, nothing enabled
        expect_irq(1'b0, "after reset");
        expect_reg(12'h000, 32'h4, "AP_CTRL after reset: AP_IDLE");
        expect_reg(12'h004, 32'h0, "GIE after reset");
        expect_reg(12'h008, 32'h0, "IER after reset");
        expect_reg(12'h00C, 32'h0, "ISR after reset");
        expect_starts(0, "no start after reset");

        // a run: AP_START starts it once; AP_START stays 1 and AP_IDLE 0 until done
        wr(12'h000, 32'h1);
        expect_starts(1, "AP_START = 1 starts one run");
        expect_reg(12'h000, 32'h1, "AP_CTRL while running");
        wr(12'h000, 32'h1);
        expect_starts(1, "AP_START again while running: no second run");
        // done with no interrupt source enabled: AP_DONE and AP_READY (clear on read), no ISR bit
        wr(12'h004, 32'h1);
        pulse_done(1'b0);
        expect_reg(12'h00C, 32'h0, "ISR with IER = 0");
        expect_irq(1'b0, "GIE = 1, IER = 0: no interrupt");
        expect_reg(12'h000, 32'hE, "AP_CTRL after done: DONE, IDLE, READY, START cleared");
        expect_reg(12'h000, 32'h4, "AP_CTRL read again: DONE and READY cleared on read");

        // IER.DONE: done sets ISR bit 0 and the interrupt; writing 1 toggles it back (and clears the line)
        wr(12'h008, 32'h1);
        expect_reg(12'h008, 32'h1, "IER reads back");
        wr(12'h000, 32'h1);
        pulse_done(1'b0);
        expect_reg(12'h00C, 32'h1, "ISR.DONE after done");
        expect_irq(1'b1, "GIE && ISR");
        wr(12'h004, 32'h0);
        expect_irq(1'b0, "GIE = 0 masks the interrupt");
        expect_reg(12'h00C, 32'h1, "ISR keeps its bit while GIE = 0");
        wr(12'h004, 32'h1);
        expect_irq(1'b1, "GIE = 1 again");
        expect_reg(12'h00C, 32'h1, "reading ISR does not clear it");
        wr(12'h00C, 32'h1);
        expect_reg(12'h00C, 32'h0, "ISR: writing 1 toggles the set bit off");
        expect_irq(1'b0, "ISR = 0: interrupt low");

        // a run that ends without error: only DONE and READY (ERROR needs done_error)
        wr(12'h008, 32'h7);
        wr(12'h000, 32'h1);
        pulse_done(1'b0);
        expect_reg(12'h00C, 32'h3, "ISR after a clean run with IER = 7");
        wr(12'h00C, 32'h3);
        expect_reg(12'h00C, 32'h0, "ISR cleared by toggling both");
        // a run that ends with an error: DONE, READY and ERROR
        wr(12'h000, 32'h1);
        pulse_done(1'b1);
        expect_reg(12'h00C, 32'h7, "ISR after an error run with IER = 7");
        wr(12'h00C, 32'h2);
        expect_reg(12'h00C, 32'h5, "ISR: toggling bit 1 leaves 0 and 2");
        expect_irq(1'b1, "still pending");
        wr(12'h00C, 32'h5);
        expect_irq(1'b0, "all cleared");
        // IER.DONE only: an error run sets only DONE
        wr(12'h008, 32'h1);
        wr(12'h000, 32'h1);
        pulse_done(1'b1);
        expect_reg(12'h00C, 32'h1, "ISR with IER = DONE after an error run");
        wr(12'h00C, 32'h1);
        expect_reg(12'h000, 32'hE, "AP_CTRL after the error run");

        // AUTO_RESTART: the kernel starts the next run itself when one ends, until the bit is cleared
        starts = 0;
        wr(12'h000, 32'h81);
        expect_starts(1, "AP_START with AUTO_RESTART");
        expect_reg(12'h000, 32'h81, "AP_CTRL: START and AUTO_RESTART while running");
        pulse_done(1'b0);
        expect_starts(2, "auto restart after done");
        expect_reg(12'h000, 32'h8B, "AP_CTRL after an auto-restarted done: START, DONE, READY, AUTO_RESTART");
        wr(12'h000, 32'h0);
        expect_reg(12'h000, 32'h1, "AUTO_RESTART cleared; AP_START stays until the run ends");
        pulse_done(1'b0);
        expect_starts(2, "no run after AUTO_RESTART is cleared");
        expect_reg(12'h000, 32'hE, "AP_CTRL idle and done");
        expect_reg(12'h000, 32'h4, "AP_CTRL idle");

        // write strobes: a write with WSTRB = 0 changes nothing
        wstrb = 4'h0;
        wr(12'h008, 32'h7);
        wstrb = 4'hF;
        expect_reg(12'h008, 32'h1, "IER unchanged by a write without strobes");

        $display("PASS %0d", passed);
        if (failed != 0) $display("FAIL %0d checks", failed);
        $finish;
    end

    initial begin
        #2000000;
        $display("FAIL timeout");
        $finish;
    end
endmodule
