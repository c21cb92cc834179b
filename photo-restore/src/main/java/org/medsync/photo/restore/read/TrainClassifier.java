package org.medsync.photo.restore.read;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.medsync.photo.image.GrayImage;
import org.medsync.photo.restore.lesion.LesionWindow;
import org.medsync.photo.restore.lesion.TrainingWindows;
import org.medsync.photo.restore.source.SourceImage;
import org.medsync.photo.restore.source.SourceImages;

/**
 * Trains the lesion classifier with DJL (PyTorch engine, CPU) on windows of original images only
 * ({@link TrainingWindows}: lesions inserted on the fly, augmented), seeded. {@link #train} is what the benchmark's
 * cross-validation calls per split and run; {@code scripts/photo-train --classifier} ({@link #main}) trains on every
 * source image and writes the shipped graph {@value LesionClassifier#RESOURCE} and its training record.
 *
 * <p>Arguments of main: {@code --steps 600 --batch 32 --lr 0.003 --seed 15 --root .}.
 */
public final class TrainClassifier {
    /** Training options; the defaults are those of the shipped model and of the benchmark. */
    public record Options(int steps, int batch, float lr) {
        public static final Options DEFAULT = new Options(600, 32, 3e-3f);
    }

    private TrainClassifier() {}

    /** Trains on {@code images} (originals); {@code log} receives a line every 100 steps. */
    public static ClassifierNet.Weights train(
            List<GrayImage> images, Options options, long seed, Consumer<String> log) {
        TrainingWindows windows = new TrainingWindows(images, seed);
        Engine.getInstance().setRandomSeed((int) seed);
        int s = LesionWindow.SIZE;
        try (Model model = Model.newInstance("lesion-classifier")) {
            SequentialBlock net = new SequentialBlock();
            for (int i = 0; i < ClassifierNet.convLayers(); i++) {
                int stride = ClassifierNet.stride(i);
                net.add(Conv2d.builder()
                        .setKernelShape(new Shape(3, 3))
                        .optPadding(new Shape(1, 1))
                        .optStride(new Shape(stride, stride))
                        .setFilters(ClassifierNet.filters(i))
                        .build());
                net.add(Activation::relu);
            }
            net.add(Pool.globalMaxPool2dBlock());
            net.add(Blocks.batchFlattenBlock());
            net.add(Linear.builder().setUnits(1).build());
            model.setBlock(net);
            Tracker schedule = Tracker.multiFactor()
                    .setBaseValue(options.lr())
                    .setSteps(new int[] {(int) (options.steps() * 0.7), (int) (options.steps() * 0.9)})
                    .optFactor(0.3f)
                    .build();
            Loss loss = Loss.sigmoidBinaryCrossEntropyLoss();
            DefaultTrainingConfig config = new DefaultTrainingConfig(loss)
                    .optOptimizer(
                            Optimizer.adam().optLearningRateTracker(schedule).build());
            int batch = options.batch();
            float[] x = new float[batch * s * s];
            float[] y = new float[batch];
            Shape shape = new Shape(batch, 1, s, s);
            double running = 0;
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(shape);
                for (int step = 1; step <= options.steps(); step++) {
                    windows.batch(batch, x, y);
                    try (NDManager m = trainer.getManager().newSubManager()) {
                        NDArray input = m.create(x, shape);
                        NDArray label = m.create(y, new Shape(batch, 1));
                        try (GradientCollector gc = trainer.newGradientCollector()) {
                            NDArray logit = trainer.forward(new NDList(input)).singletonOrThrow();
                            NDArray l = loss.evaluate(new NDList(label), new NDList(logit));
                            gc.backward(l);
                            running = 0.95 * running + 0.05 * l.getFloat();
                        }
                        trainer.step();
                    }
                    if (step % 100 == 0) {
                        log.accept(String.format(Locale.ROOT, "step %d/%d loss %.4f", step, options.steps(), running));
                    }
                }
            }
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
            return new ClassifierNet.Weights(kernels, biases);
        }
    }

    public static void main(String[] args) throws IOException {
        Options o = Options.DEFAULT;
        int steps = o.steps();
        int batch = o.batch();
        float lr = o.lr();
        long seed = 15;
        Path root = Path.of(".");
        if (args.length % 2 != 0) {
            throw new IllegalArgumentException("options come in pairs: --name value");
        }
        for (int i = 0; i + 1 < args.length; i += 2) {
            String v = args[i + 1];
            switch (args[i]) {
                case "--steps" -> steps = Integer.parseInt(v);
                case "--batch" -> batch = Integer.parseInt(v);
                case "--lr" -> lr = Float.parseFloat(v);
                case "--seed" -> seed = Long.parseLong(v);
                case "--root" -> root = Path.of(v);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        root = root.toAbsolutePath().normalize();
        Instant start = Instant.now();
        List<GrayImage> images = new ArrayList<>();
        for (SourceImage si : SourceImages.load(root, Files.createTempDirectory("classifier-train"))) {
            images.add(si.image());
        }
        String loadBefore = loadAverage();
        ClassifierNet.Weights weights = train(images, new Options(steps, batch, lr), seed, System.out::println);
        double seconds = Duration.between(start, Instant.now()).toMillis() / 1000.0;
        byte[] onnx = ClassifierNet.onnx(weights);
        Path resource = root.resolve("photo-restore/src/main/resources" + LesionClassifier.RESOURCE);
        Files.createDirectories(resource.getParent());
        Files.write(resource, onnx);
        List<String> lines = List.of(
                "# Lesion classifier training record (written by scripts/photo-train --classifier)",
                "",
                "- command that reproduces these weights: scripts/photo-train --classifier --steps " + steps
                        + " --batch " + batch + " --lr " + lr + " --seed " + seed,
                "- network: " + ClassifierNet.summary(),
                "- data: ORIGINAL windows only, lesions inserted on the fly (docs/photo-intake.md \"AI read\") in "
                        + images.size() + " source images (every SourceImages image: the shipped model is trained"
                        + " on all of them; the benchmark's cross-validation trains its own per split)",
                "- optimiser: Adam, learning rate " + lr + ", x0.3 at 70% and 90% of the steps; loss sigmoid binary"
                        + " cross-entropy",
                String.format(Locale.ROOT, "- time: %.1f s in all (%d steps)", seconds, steps),
                "- machine: " + Runtime.getRuntime().availableProcessors() + " cores; load average before " + loadBefore
                        + ", after " + loadAverage(),
                "- finished: " + Instant.now(),
                "- weights: photo-restore/src/main/resources" + LesionClassifier.RESOURCE + " (" + onnx.length
                        + " bytes, ONNX written by ClassifierNet)");
        Path record = Files.createDirectories(root.resolve("photo-restore/training"));
        Files.write(record.resolve("classifier-record.md"), lines);
        lines.forEach(System.out::println);
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "unknown";
        }
    }
}
