// Streams `count` consecutive words of a synchronous ROM from `base` through a 4-entry FIFO, one
// word per cycle at full rate. `idle` is high once every word of the current run has been read
// from the ROM (it may still sit in the FIFO), so the next run can be started early.
module fornax_rom_stream #(
    parameter integer WIDTH = 128,
    parameter integer DEPTH = 16,
    parameter integer AW = 4,
    parameter FILE = "rom.mem"
) (
    input wire clk,
    input wire rst,
    input wire start,
    input wire [31:0] base,
    input wire [31:0] count,
    output wire idle,
    output wire out_valid,
    output wire [WIDTH-1:0] out_data,
    input wire out_ready
);
    reg [AW-1:0] addr;
    reg [31:0] left;
    wire [WIDTH-1:0] rom_q;
    fornax_rom #(.WIDTH(WIDTH), .DEPTH(DEPTH), .AW(AW), .FILE(FILE)) rom (
        .clk(clk), .addr(addr), .data(rom_q));

    reg [WIDTH-1:0] fifo [0:3];
    reg [2:0] wp, rp;
    reg inflight;
    wire [2:0] used = wp - rp;
    assign out_valid = (wp != rp);
    assign out_data = fifo[rp[1:0]];
    wire pop = out_valid && out_ready;
    generate
        if (AW < 32) begin : g_unused
            wire _unused_hi = &{1'b0, base[31:AW]};
        end
    endgenerate
    wire issue = (left != 32'd0) && ({1'b0, used} + {3'd0, inflight} < 4'd4 || pop && used == 3'd4);
    assign idle = (left == 32'd0);

    always @(posedge clk) begin
        inflight <= issue;
        if (inflight) begin
            fifo[wp[1:0]] <= rom_q;
            wp <= wp + 3'd1;
        end
        if (pop) rp <= rp + 3'd1;
        if (start) begin
            addr <= base[AW-1:0];
            left <= count;
        end else if (issue) begin
            addr <= addr + 1'b1;
            left <= left - 32'd1;
        end
        if (rst) begin
            wp <= 3'd0;
            rp <= 3'd0;
            inflight <= 1'b0;
            left <= 32'd0;
        end
    end
endmodule
