package org.medsync.photo.restore.dncnn;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.medsync.photo.restore.source.SourceImage;
import org.medsync.photo.restore.source.SourceImages;
import org.medsync.photo.restore.source.Split;

/**
 * {@code scripts/photo-train}: trains the DnCNN with DJL (PyTorch engine, CPU) on simulated photos of the training
 * images, then writes the ONNX graph the restorer ships and the training record (loss per step, parameters, time,
 * machine load). Seeded: the data, the initial weights and the batch order follow from {@code --seed}.
 *
 * <p>Arguments: {@code --steps 300 --batch 16 --patch 40 --draws 4 --lr 0.002 --seed 15 --root .}; {@code --stop-after N} ends after N steps with the planned run's learning-rate
 * schedule, {@code --minutes M} stops at a time budget (the record then names the --stop-after that reproduces it)
 * (the defaults are the shipped run).
 */
public final class Train {
    private Train() {}

    public static void main(String[] args) throws Exception {
        int steps = 300;
        int batch = 16;
        int patch = 40;
        int draws = 4;
        float lr = 2e-3f;
        long seed = 15;
        int stopAfter = Integer.MAX_VALUE;
        double minutes = Double.POSITIVE_INFINITY;
        Path root = Path.of(".");
        for (int i = 0; i + 1 < args.length; i += 2) {
            String v = args[i + 1];
            switch (args[i]) {
                case "--steps" -> steps = Integer.parseInt(v);
                case "--batch" -> batch = Integer.parseInt(v);
                case "--patch" -> patch = Integer.parseInt(v);
                case "--draws" -> draws = Integer.parseInt(v);
                case "--lr" -> lr = Float.parseFloat(v);
                case "--seed" -> seed = Long.parseLong(v);
                case "--root" -> root = Path.of(v);
                case "--stop-after" -> stopAfter = Integer.parseInt(v);
                case "--minutes" -> minutes = Double.parseDouble(v);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (args.length % 2 != 0) {
            throw new IllegalArgumentException("options come in pairs: --name value");
        }
        root = root.toAbsolutePath().normalize();
        Instant start = Instant.now();
        String loadBefore = loadAverage();
        Path scratch = Files.createTempDirectory("photo-train");
        List<SourceImage> training = new ArrayList<>();
        for (SourceImage s : SourceImages.load(root, scratch)) {
            if (s.split() == Split.TRAINING) {
                training.add(s);
            }
        }
        TrainingPairs pairs = new TrainingPairs(training, draws, seed);
        double simulateSeconds = Duration.between(start, Instant.now()).toMillis() / 1000.0;
        System.out.printf(
                Locale.ROOT,
                "%d training images x %d draws = %d photos simulated in %.1f s%n",
                training.size(),
                draws,
                pairs.size(),
                simulateSeconds);

        Engine.getInstance().setRandomSeed((int) seed);
        List<String> csv = new ArrayList<>(List.of("step,loss_mse,psnr_db,seconds"));
        Weights weights;
        Instant trainStart = Instant.now();
        try (Model model = Model.newInstance("dncnn")) {
            SequentialBlock net = new SequentialBlock();
            for (int i = 0; i < Architecture.layers(); i++) {
                int d = Architecture.dilation(i);
                net.add(Conv2d.builder()
                        .setKernelShape(new Shape(3, 3))
                        .optPadding(new Shape(d, d))
                        .optDilation(new Shape(d, d))
                        .setFilters(Architecture.outChannels(i))
                        .build());
                if (i < Architecture.layers() - 1) {
                    net.add(Activation::relu);
                }
            }
            model.setBlock(net);
            Tracker schedule = Tracker.multiFactor()
                    .setBaseValue(lr)
                    .setSteps(new int[] {(int) (steps * 0.7), (int) (steps * 0.9)})
                    .optFactor(0.3f)
                    .build();
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.l2Loss())
                    .optOptimizer(
                            Optimizer.adam().optLearningRateTracker(schedule).build());
            SplittableRandom random = new SplittableRandom(seed);
            float[] x = new float[batch * patch * patch];
            float[] r = new float[batch * patch * patch];
            Shape shape = new Shape(batch, 1, patch, patch);
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(shape);
                for (int step = 1; step <= Math.min(steps, stopAfter); step++) {
                    if (Duration.between(trainStart, Instant.now()).toMillis() > minutes * 60_000) {
                        stopAfter = step - 1;
                        System.out.println("time budget of " + minutes + " min reached after " + stopAfter + " steps");
                        break;
                    }
                    pairs.batch(random, batch, patch, x, r);
                    float loss;
                    try (NDManager m = trainer.getManager().newSubManager()) {
                        NDArray input = m.create(x, shape);
                        NDArray target = m.create(r, shape);
                        try (GradientCollector gc = trainer.newGradientCollector()) {
                            NDArray predicted =
                                    trainer.forward(new NDList(input)).singletonOrThrow();
                            NDArray mse = predicted.sub(target).square().mean();
                            gc.backward(mse);
                            loss = mse.getFloat();
                        }
                        trainer.step();
                    }
                    double seconds = Duration.between(trainStart, Instant.now()).toMillis() / 1000.0;
                    csv.add(String.format(
                            Locale.ROOT, "%d,%.6g,%.3f,%.1f", step, loss, -10 * Math.log10(loss), seconds));
                    if (step % 50 == 0 && step < steps) {
                        // A run cut short by the clock still leaves usable weights (not shipped by this command).
                        Path checkpoint = Files.createDirectories(root.resolve("photo-restore/target"))
                                .resolve("dncnn-checkpoint.onnx");
                        Files.write(checkpoint, OnnxGraph.model(weights(net)));
                    }
                    if (step % 25 == 0 || step == 1) {
                        System.out.printf(
                                Locale.ROOT,
                                "step %d/%d loss %.5g (%.2f dB) %.0f s load %s%n",
                                step,
                                steps,
                                loss,
                                -10 * Math.log10(loss),
                                seconds,
                                loadAverage());
                    }
                }
            }
            weights = weights(net);
        }
        double trainSeconds = Duration.between(trainStart, Instant.now()).toMillis() / 1000.0;
        int done = Math.min(steps, stopAfter);
        byte[] onnx = OnnxGraph.model(weights);
        Path resource = root.resolve("photo-restore/src/main/resources" + DncnnRestorer.RESOURCE);
        Files.createDirectories(resource.getParent());
        Files.write(resource, onnx);
        Path record = Files.createDirectories(root.resolve("photo-restore/training"));
        Files.write(record.resolve("loss.csv"), csv);
        ByteBuffer raw = ByteBuffer.allocate(Architecture.parameterCount() * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < Architecture.layers(); i++) {
            for (float v : weights.kernels().get(i)) {
                raw.putFloat(v);
            }
            for (float v : weights.biases().get(i)) {
                raw.putFloat(v);
            }
        }
        Files.write(record.resolve("weights.f32"), raw.array());
        LossPlot.write(csv, root.resolve("docs/img/photo-training-loss.png"));
        List<String> lines = List.of(
                "# DnCNN training record (written by scripts/photo-train)",
                "",
                "- command that reproduces these weights: scripts/photo-train --steps " + steps
                        + (done < steps ? " --stop-after " + done : "") + " --batch " + batch + " --patch " + patch
                        + " --draws " + draws + " --lr " + lr + " --seed " + seed,
                done < steps
                        ? "- STOPPED EARLY: " + done + " of the " + steps + " planned steps (time budget --minutes "
                                + minutes + "); the learning-rate schedule is that of the planned run"
                        : "- complete: all " + steps + " planned steps",
                "- network: " + Architecture.summary(),
                "- data: " + training.size() + " training images (SourceImages, split TRAINING) x " + draws
                        + " in-range simulator draws = " + pairs.size() + " photos; random " + patch + "x" + patch
                        + " patches, mirrored",
                "- optimiser: Adam, learning rate " + lr + ", x0.3 at 70% and 90% of the steps; loss MSE of the"
                        + " predicted residual",
                String.format(
                        Locale.ROOT,
                        "- simulation: %.1f s; training: %d steps in %.1f s (%.2f s/step)",
                        simulateSeconds,
                        done,
                        trainSeconds,
                        trainSeconds / Math.max(1, done)),
                "- final loss (mean of last 50 steps): " + tailMean(csv, 50),
                "- machine: " + Runtime.getRuntime().availableProcessors() + " cores; load average before " + loadBefore
                        + ", after " + loadAverage(),
                "- finished: " + Instant.now(),
                "- weights: photo-restore/src/main/resources" + DncnnRestorer.RESOURCE + " (" + onnx.length
                        + " bytes, ONNX written by OnnxGraph)",
                "- loss per step: photo-restore/training/loss.csv, plot docs/img/photo-training-loss.png");
        Files.write(record.resolve("record.md"), lines);
        lines.forEach(System.out::println);
    }

    private static Weights weights(SequentialBlock net) {
        List<float[]> kernels = new ArrayList<>();
        List<float[]> biases = new ArrayList<>();
        for (Pair<String, Parameter> p : net.getParameters()) {
            float[] values = p.getValue().getArray().toFloatArray();
            if (p.getValue().getType() == Parameter.Type.BIAS) {
                biases.add(values);
            } else {
                kernels.add(values);
            }
        }
        return new Weights(kernels, biases);
    }

    private static String tailMean(List<String> csv, int n) {
        double sum = 0;
        int count = 0;
        for (int i = Math.max(1, csv.size() - n); i < csv.size(); i++) {
            sum += Double.parseDouble(csv.get(i).split(",")[1]);
            count++;
        }
        double mse = sum / Math.max(1, count);
        return String.format(Locale.ROOT, "%.5g MSE (%.2f dB on training patches)", mse, -10 * Math.log10(mse));
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "unknown";
        }
    }
}
