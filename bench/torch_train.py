# Native reference for `npm run bench:train`: the same nets in PyTorch (CPU), batch 64, timed like the
# tfjs runs (median step after warm-up). Run with Debian's python3-torch: /usr/bin/python3 bench/torch_train.py
# Prints one JSON object on stdout.
import argparse
import json
import os
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


def bn(channels):
    # Keras' BatchNormalization(momentum=0.99, epsilon=1e-3), as in architectures.ts.
    return nn.BatchNorm2d(channels, eps=1e-3, momentum=0.01)


class VggGap(nn.Module):
    """Conv-BN-ReLU stages with max-pool between them, GAP, dropout 0.3, dense 7 (architectures.ts):
    compact = stages (32, 64, 128) with two convs each; vgg-s / vgg-m = (w, 2w, 4w, 8w) for w = 16 / 24,
    one conv in the first stage and two in the others."""

    def __init__(self, stages, first_stage_convs):
        super().__init__()
        layers, channels = [], 1
        for stage, filters in enumerate(stages):
            for _ in range(first_stage_convs if stage == 0 else 2):
                layers += [nn.Conv2d(channels, filters, 3, padding=1, bias=False), bn(filters), nn.ReLU()]
                channels = filters
            if stage < len(stages) - 1:
                layers.append(nn.MaxPool2d(2))
        self.features = nn.Sequential(*layers)
        self.dropout = nn.Dropout(0.3)
        self.dense = nn.Linear(channels, 7)

    def forward(self, x):
        x = self.features(x).mean(dim=(2, 3))
        return self.dense(self.dropout(x))

    def penalty(self):
        return 0.0


class Seed(nn.Module):
    """The 2018 tutorial's VGG net: 5,905,863 parameters, as in architectures.ts."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 64, 3)  # valid, L2(0.01) on its kernel
        layers = [nn.ReLU(), nn.Conv2d(64, 64, 3, padding=1), nn.ReLU(), bn(64), nn.MaxPool2d(2), nn.Dropout(0.5)]
        channels = 64
        for filters in [128, 256, 512]:
            layers += [nn.Conv2d(channels, filters, 3, padding=1), nn.ReLU(), bn(filters)]
            layers += [nn.Conv2d(filters, filters, 3, padding=1), nn.ReLU(), bn(filters), nn.MaxPool2d(2), nn.Dropout(0.5)]
            channels = filters
        self.features = nn.Sequential(*layers)
        self.classifier = nn.Sequential(
            nn.Flatten(), nn.Linear(2048, 512), nn.ReLU(), nn.Dropout(0.4), nn.Linear(512, 256), nn.ReLU(),
            nn.Dropout(0.4), nn.Linear(256, 128), nn.ReLU(), nn.Dropout(0.5), nn.Linear(128, 7))

    def forward(self, x):
        return self.classifier(self.features(self.conv1(x)))

    def penalty(self):
        return 0.01 * self.conv1.weight.square().sum()


class Separable(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.depthwise = nn.Conv2d(cin, cin, 3, padding=1, groups=cin, bias=False)
        self.pointwise = nn.Conv2d(cin, cout, 1, bias=False)

    def forward(self, x):
        return self.pointwise(self.depthwise(x))


class MiniXception(nn.Module):
    """Arriaga et al. 2017, as in architectures.ts (L2 0.01 on the first convs and separable kernels)."""

    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(1, 8, 3, bias=False), bn(8), nn.ReLU(), nn.Conv2d(8, 8, 3, bias=False), bn(8), nn.ReLU())
        self.blocks = nn.ModuleList()
        channels = 8
        for filters in [16, 32, 64, 128]:
            self.blocks.append(nn.ModuleDict({
                'shortcut': nn.Sequential(nn.Conv2d(channels, filters, 1, stride=2, bias=False), bn(filters)),
                'main': nn.Sequential(Separable(channels, filters), bn(filters), nn.ReLU(), Separable(filters, filters), bn(filters),
                                      nn.MaxPool2d(3, stride=2, padding=1)),
            }))
            channels = filters
        self.head = nn.Conv2d(128, 7, 3, padding=1)

    def forward(self, x):
        x = self.stem(x)
        for block in self.blocks:
            x = block['main'](x) + block['shortcut'](x)
        return self.head(x).mean(dim=(2, 3))

    def penalty(self):
        weights = [self.stem[0].weight, self.stem[3].weight]
        for block in self.blocks:
            for sep in (block['main'][0], block['main'][3]):
                weights += [sep.depthwise.weight, sep.pointwise.weight]
        return 0.01 * sum(w.square().sum() for w in weights)


MODELS = {
    'compact': lambda: VggGap([32, 64, 128], 2),
    'vgg-s': lambda: VggGap([16, 32, 64, 128], 1),
    'vgg-m': lambda: VggGap([24, 48, 96, 192], 1),
    'seed': Seed,
    'mini-xception': MiniXception,
}


def timed(step, warmup, min_steps, max_steps, budget_s):
    for _ in range(warmup):
        step()
    times, started = [], time.perf_counter()
    while len(times) < max_steps and (len(times) < min_steps or time.perf_counter() - started < budget_s):
        start = time.perf_counter()
        step()
        times.append((time.perf_counter() - start) * 1000)
    return times


def measure(arch, batch, budget_s):
    torch.manual_seed(0)
    model = MODELS[arch]()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    xs = torch.randn(batch, 1, 48, 48)
    labels = torch.arange(batch) % 7

    def train_step():
        model.train()
        optimizer.zero_grad(set_to_none=True)
        loss = F.cross_entropy(model(xs), labels) + model.penalty()
        loss.backward()
        optimizer.step()

    def infer_step():
        model.eval()
        with torch.no_grad():
            F.softmax(model(xs), dim=1)

    train_ms = timed(train_step, 2, 5, 20, budget_s)
    infer_ms = timed(infer_step, 2, 5, 40, budget_s)
    return {
        'arch': arch,
        'batch': batch,
        'params': sum(p.numel() for p in model.parameters()),
        'trainImgPerSec': batch / statistics.median(train_ms) * 1000,
        'inferImgPerSec': batch / statistics.median(infer_ms) * 1000,
        'trainStepMs': train_ms,
        'inferBatchMs': infer_ms,
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--archs', default='compact,seed,mini-xception')
    parser.add_argument('--batch', type=int, default=64)
    parser.add_argument('--budget-s', type=float, default=8.0)
    args = parser.parse_args()
    threads = os.cpu_count() or 1
    torch.set_num_threads(threads)
    results = [measure(arch, args.batch, args.budget_s) for arch in args.archs.split(',')]
    print(json.dumps({'torch': torch.__version__, 'threads': threads, 'results': results}))


if __name__ == '__main__':
    main()
