// Show-ahead FIFO over a block RAM, for AXI read data. The RAM is read one cycle after the address
// (its registered output: RAMB/URAM with the output register), and up to three words wait in a
// small register buffer, so a word can leave every cycle while rd_ready stays high and rd_valid /
// rd_data come from registers. The writer must not overflow it: the AXI masters reserve an entry
// for every beat of a burst before they issue it (credits), so no full flag is needed.
module fornax_axi_fifo #(
    parameter integer W = 64,
    parameter integer DEPTH = 64,            // RAM words, a power of two
    parameter integer AB = 6                 // log2(DEPTH)
) (
    input wire clk,
    input wire rst,
    input wire wr_en,
    input wire [W-1:0] wr_data,
    output wire rd_valid,
    output wire [W-1:0] rd_data,
    input wire rd_ready
);
    reg [W-1:0] mem [0:DEPTH-1];
    reg [AB:0] wp, rp;
    reg [W-1:0] q;                           // the RAM's output register
    reg q_v;                                 // q holds the word read last cycle
    reg [W-1:0] b0, b1, b2;                  // output buffer, b0 first
    reg [1:0] bn;                            // words in it
    wire pop = rd_valid && rd_ready;
    wire issue = (wp != rp) && ({1'b0, bn} + {2'b0, q_v} < 3'd3);
    assign rd_valid = bn != 2'd0;
    assign rd_data = b0;

    always @(posedge clk) begin
        if (wr_en) mem[wp[AB-1:0]] <= wr_data;
        if (issue) q <= mem[rp[AB-1:0]];
    end

    // the arriving word goes to the first free slot after this cycle's pop
    wire [1:0] slot = bn - {1'b0, pop};
    always @(posedge clk) begin
        if (pop) begin
            b0 <= b1;
            b1 <= b2;
        end
        if (q_v) begin
            if (slot == 2'd0) b0 <= q;
            if (slot == 2'd1) b1 <= q;
            if (slot == 2'd2) b2 <= q;
        end
        bn <= bn - {1'b0, pop} + {1'b0, q_v};
        q_v <= issue;
        if (wr_en) wp <= wp + 1'b1;
        if (issue) rp <= rp + 1'b1;
        if (rst) begin
            wp <= {(AB+1){1'b0}};
            rp <= {(AB+1){1'b0}};
            q_v <= 1'b0;
            bn <= 2'd0;
        end
    end
endmodule
