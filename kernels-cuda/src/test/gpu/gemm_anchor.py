# cuBLAS fp32 SGEMM (TF32 off) through PyTorch on the probe's shapes: the anchor for gemm_probe; the
# last is L4's per-step backward product dz·Uᵀ (64×256 from k = 1024), as CudaCaseTimer's last GEMM.
import sys, torch
torch.backends.cuda.matmul.allow_tf32 = False
torch.backends.cudnn.allow_tf32 = False
print(torch.__version__, torch.version.cuda, torch.cuda.get_device_name())
for m, n, k in [(3200, 1024, 64), (4096, 4096, 4096), (64, 1024, 256), (256, 2048, 512), (64, 256, 1024)]:
    a = torch.rand(m, k, device="cuda") - 0.5
    b = torch.rand(k, n, device="cuda") - 0.5
    c = torch.empty(m, n, device="cuda")
    calls = max(5, min(2000, int(2e5 / (2 * m * n * k / 40e12 * 1e6 + 3))))
    for _ in range(10):
        torch.mm(a, b, out=c)
    best = 1e30
    for _ in range(5):
        e0, e1 = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        e0.record()
        for _ in range(calls):
            torch.mm(a, b, out=c)
        e1.record()
        torch.cuda.synchronize()
        best = min(best, e0.elapsed_time(e1) * 1e3 / calls)
    print(f"cublas {m}x{n}x{k}: {best:.1f} us, {2 * m * n * k / best / 1e6:.1f} TFLOP/s")
