// Synthesis probe for the Yosys runner's own test: a $readmemh weight ROM (synchronous read, so it
// can map to block RAM) feeding LANES int8 x int16 multiply-accumulators (which can map to DSPs).
module synth_probe #(
    parameter integer LANES = 4,
    parameter integer DEPTH = 2048,
    parameter WFILE = "probe.mem"
) (
    input wire clk,
    input wire rst,
    input wire [10:0] addr,
    input wire signed [15:0] x,
    output reg signed [47:0] acc0,
    output wire [47:0] sum
);
    reg [8*LANES-1:0] rom [0:DEPTH-1];
    initial $readmemh(WFILE, rom);
    reg [8*LANES-1:0] w;
    always @(posedge clk) w <= rom[addr];

    reg signed [47:0] acc [0:LANES-1];
    integer i;
    always @(posedge clk) begin
        for (i = 0; i < LANES; i = i + 1) begin
            if (rst) acc[i] <= 48'sd0;
            else acc[i] <= acc[i] + $signed(w[8*i +: 8]) * x;
        end
        acc0 <= acc[0];
    end
    reg [47:0] s;
    always @(*) begin
        s = 48'd0;
        for (i = 0; i < LANES; i = i + 1) s = s ^ acc[i];
    end
    assign sum = s;
endmodule
