package org.medsync.dicom.synthetic;

/**
 * An analytic adult head in Hounsfield units, in patient coordinates (mm, LPS: +x patient left, +y
 * posterior, +z superior; z = 0 at the bodies of the lateral ventricles). Built from layers measured as
 * depth below the scalp of an ellipsoid (about 150 x 185 mm) and a few shapes for deep and skull-base
 * anatomy. Values without noise; {@link SyntheticCtHead} adds the noise.
 *
 * <pre>
 *   depth (mm)  0   1.5   3.5   5.5   7.5   10   12   13.5     ~17-19
 *               skin | fat | galea | outer table | diploe | inner table | CSF | grey | white matter ...
 * </pre>
 */
final class HeadPhantom {

    static final double AIR = -1000;
    static final double SKIN = 50;
    static final double FAT = -100;
    static final double MUSCLE = 45;
    static final double CORTICAL = 1500;
    static final double DIPLOE = 550;
    static final double CSF = 5;
    static final double GREY = 40;
    static final double WHITE = 26;
    static final double DEEP_GREY = 37;
    static final double FALX = 70;
    static final double GLOBE = 10;
    static final double LENS = 90;
    static final double ORBIT_FAT = -90;

    private static final double A = 75; // half width (LR)
    private static final double B = 92.5; // half length (AP)
    private static final double C = 100; // height above the widest plane
    private static final double Z_WIDEST = -10;

    private HeadPhantom() {}

    /** Hounsfield units at (x, y, z) mm. */
    static double hu(double x, double y, double z) {
        double taper = z >= Z_WIDEST ? 1 : 1 - 0.0016 * (Z_WIDEST - z);
        double a = A * taper;
        double b = B * taper;
        double zc = z > Z_WIDEST ? (z - Z_WIDEST) / C : 0;
        double rho = Math.sqrt((x / a) * (x / a) + (y / b) * (y / b) + zc * zc);
        if (rho >= 1) {
            return AIR;
        }
        double r = Math.sqrt(x * x + y * y + (z > Z_WIDEST ? (z - Z_WIDEST) * (z - Z_WIDEST) : 0));
        double depth = rho < 1e-6 ? 100 : r * (1 - rho) / rho;
        // Skull a little thicker at the base and in the occiput.
        double thick = 1 + 0.25 * Math.max(0, Math.min(1, (-20 - z) / 40)) + 0.15 * Math.max(0, y / b);
        if (depth < 1.5) {
            return SKIN;
        }
        if (depth < 3.5) {
            return FAT;
        }
        double temporalis = 3 * Math.max(0, Math.abs(x) / a - 0.7) / 0.3 * (z < 40 && z > -40 ? 1 : 0);
        if (depth < 5.5 + temporalis) {
            return MUSCLE;
        }
        double d = depth - temporalis;
        if (z < -32 && y < yCut(x, b, z)) {
            return face(x, y, z, b, d);
        }
        if (z > -40 && z < -12 && frontalSinus(x, y, b, d)) {
            return AIR;
        }
        if (d < 5.5 + 2 * thick) {
            return CORTICAL;
        }
        if (d < 5.5 + 4.5 * thick) {
            return DIPLOE;
        }
        if (d < 5.5 + 6.5 * thick) {
            return CORTICAL - 100;
        }
        double inner = 5.5 + 6.5 * thick; // depth of the inner table
        if (z < -30) {
            double base = skullBase(x, y, z, b, d - inner);
            if (!Double.isNaN(base)) {
                return base;
            }
        }
        return brain(x, y, z, d - inner);
    }

    private static boolean frontalSinus(double x, double y, double b, double d) {
        return y < -0.75 * b && Math.abs(x) < 13 && d > 8 && d < 18 && (x * x) / 169 + (d - 13) * (d - 13) / 16 < 1;
    }

    /** Anterior limit of the intracranial space: moves back as the skull base descends; curved like the sphenoid wings. */
    private static double yCut(double x, double b, double z) {
        double f = clamp((-32 - z) / 20);
        return -b * (1 - 0.72 * f) + 0.010 * x * x * f;
    }

    /** Face below the anterior cranial fossa: orbits, ethmoid, maxillary sinuses, nasal cavity. */
    private static double face(double x, double y, double z, double b, double d) {
        double ax = Math.abs(x);
        double gy = -b + 17;
        if (z < -36 && z > -66) {
            double dz = z + 50;
            double dg = Math.sqrt((ax - 32) * (ax - 32) + (y - gy) * (y - gy) + dz * dz);
            if (dg < 12) {
                double dl = Math.sqrt((ax - 32) * (ax - 32) + (y - gy + 10.5) * (y - gy + 10.5) / 0.2 + dz * dz);
                return dl < 4.5 ? LENS : GLOBE;
            }
            double t = (y - gy) / 34; // 0 at globe centre, 1 at orbital apex
            if (t > -0.6 && t < 1) {
                double cx = 32 - 16 * Math.max(0, t);
                double rad = 17 * (1 - 0.7 * Math.max(0, t)) * Math.sqrt(Math.max(0, 1 - dz * dz / 320));
                double dd = Math.abs(ax - cx);
                if (dd < rad) {
                    if (t > 0.15 && Math.abs(ax - (32 - 14 * t)) < 2.2 && Math.abs(dz) < 2.5) {
                        return 35; // optic nerve
                    }
                    return t < -0.3 ? SKIN : ORBIT_FAT;
                }
                if (dd < rad + 1.8) {
                    return 900; // orbital walls
                }
            }
            if (ax < 11 && y > gy - 8 && y < gy + 30) {
                return ax < 0.8 ? 700 : cells(x, y, z, 5);
            }
        }
        if (z <= -62) {
            double my = -b + 36;
            double q = ((ax - 26) * (ax - 26)) / 225 + (y - my) * (y - my) / 324;
            if (q < 1) {
                return AIR;
            }
            if (q < 1.25) {
                return 800;
            }
            if (ax < 9 && y > -b + 8 && y < my + 14) {
                return ax < 1 ? 600 : (Math.abs(y - my) < 6 && ax > 5 ? SKIN : AIR);
            }
        }
        if (d < 8) {
            return MUSCLE;
        }
        return d < 10.5 ? 1000 : MUSCLE - 5;
    }

    /** Anterior and middle skull base, orbits, sinuses, petrous bones; NaN where the brain continues. */
    private static double skullBase(double x, double y, double z, double b, double dIn) {
        double yCut = yCut(x, b, z);
        double ax = Math.abs(x);
        // Sphenoid sinus and clivus.
        if (z < -50 && z > -74 && ax < 15 && Math.abs(y + 15) < 10) {
            return ax < 13 && Math.abs(y + 15) < 8 ? AIR : 1100;
        }
        if (z < -58 && ax < 9 && y > -6 && y < 8) {
            return 1000;
        }
        // Petrous ridges and mastoid air cells separate middle and posterior fossa.
        if (z < -44 && z > -82) {
            double u = ((ax - 18) * 0.6 + (y - 5) * 0.8); // along the ridge
            double v = (-(ax - 18) * 0.8 + (y - 5) * 0.6); // across it
            if (u > 0 && u < 45 && Math.abs(v) < 7 - 0.06 * u) {
                return 1400;
            }
            if (z < -56 && Math.hypot(ax - 52, y - 30) < 11) {
                return cells(x, y, z, 3.5);
            }
        }
        if (y < yCut + 3.5 && z < -34) {
            return 1000; // floor of the anterior cranial fossa / sphenoid wings
        }
        // Brainstem and cerebellum.
        double dbs = Math.hypot(x, (y - 10) * 1.1);
        if (z < -22) {
            if (dbs < 13) {
                return 33;
            }
            if (dbs < 16) {
                return CSF;
            }
        }
        if (z < -34 && y > 15) {
            if (z > -62 && Math.hypot(x / 1.8, y - 30) < 4.5) {
                return CSF; // fourth ventricle
            }
            double folia = Math.sin(Math.hypot(x * 0.9, y + 10) * 2.2 + 0.4 * z + 0.8 * Math.sin(x * 0.15));
            if (dIn < 1.2 || (ax < 1.5 && y > 40)) {
                return CSF;
            }
            double core = Math.hypot((ax - 22) / 14, (y - 40) / 12);
            if (core < 1) {
                return WHITE + 3;
            }
            return folia > 0.85 ? CSF + 8 : GREY - 1;
        }
        return Double.NaN;
    }

    /** Brain above the skull base; {@code d} is depth below the inner table. */
    private static double brain(double x, double y, double z, double d) {
        double ax = Math.abs(x);
        double theta = Math.atan2(y, x * 1.15);
        // Interhemispheric fissure with the falx (above the corpus callosum, and front and back of it).
        boolean callosum = z > -8 && z < 22 && y > -38 && y < 38;
        if (ax < 2.4 && (!callosum || d < 18) && z > -34) {
            return ax < 0.6 ? FALX : CSF;
        }
        // Subarachnoid CSF, sulci and cortex.
        Tables t = Tables.of(z);
        int bin = (int) ((theta + Math.PI) * (Tables.BINS / (2 * Math.PI))) & (Tables.BINS - 1);
        double g = t.gyri[bin];
        double sulcus = t.sulci[bin];
        double csfLayer = t.csf[bin];
        double greyEnd = csfLayer + 3.5 + 4.5 * (0.5 + 0.5 * g);
        if (d < csfLayer) {
            return CSF;
        }
        if (d < greyEnd + 2.5 && Math.abs(sulcus) < 0.09 + 0.05 * (1 - d / (greyEnd + 2.5))) {
            return CSF;
        }
        if (d < greyEnd) {
            return GREY;
        }
        double deep = deepStructures(x, ax, y, z);
        if (!Double.isNaN(deep)) {
            return deep;
        }
        // Slight white matter texture (two cheap plane waves).
        return WHITE + 1.5 * t.texture(x, y);
    }

    /** Ventricles, basal ganglia, thalami, Sylvian fissures; NaN elsewhere. */
    private static double deepStructures(double x, double ax, double y, double z) {
        // Lateral ventricles: frontal horns diverging anteriorly + bodies + atria ("butterfly").
        double lv = profile(z, -10, -2, 20, 30);
        if (lv > 0 && ax > 1.2) {
            if (inRotatedEllipse(ax - 8, y + 19, 5 * lv + 0.5, 12, -28)) {
                return CSF;
            }
            if (z > -2 && inRotatedEllipse(ax - 9.5, y - 4, 4.2 * lv + 0.3, 22, -8)) {
                return CSF;
            }
            if (z < 14 && inRotatedEllipse(ax - 17, y - 27, 5 * lv + 0.5, 10, -25)) {
                return CSF;
            }
        }
        // Third ventricle.
        if (z > -24 && z < -3 && ax < 2.2 && y > -10 && y < 14) {
            return CSF;
        }
        double bg = profile(z, -22, -14, 6, 14);
        if (bg > 0) {
            if (inRotatedEllipse(ax - 14.5, y + 15, 5 * bg, 8, 20)) {
                return DEEP_GREY + 1; // caudate head
            }
            if (inRotatedEllipse(ax - 23, y + 1, 6 * bg, 14, -15)) {
                return DEEP_GREY; // lentiform nucleus
            }
            if (z < 8 && inRotatedEllipse(ax - 9.5, y - 12, 8 * bg, 11, 0)) {
                return DEEP_GREY; // thalamus
            }
            // Insular cortex and Sylvian fissure.
            if (inRotatedEllipse(ax - 36, y + 2, 2 * bg, 18, -12)) {
                return CSF;
            }
            if (inRotatedEllipse(ax - 33, y + 2, 2.5 * bg, 18, -12)) {
                return GREY;
            }
        }
        // Midbrain and perimesencephalic cistern.
        if (z < -20 && z > -34) {
            double dm = Math.hypot(x, (y - 8) * 1.1);
            if (dm < 12) {
                return 34;
            }
            if (dm < 15) {
                return CSF;
            }
        }
        return Double.NaN;
    }

    /** Functions of angle for one slice (gyri, sulci, subarachnoid width), computed once per z per thread. */
    static final class Tables {
        static final int BINS = 4096;
        private static final ThreadLocal<Tables> LAST = new ThreadLocal<>();
        final double z;
        final double[] gyri = new double[BINS];
        final double[] sulci = new double[BINS];
        final double[] csf = new double[BINS];
        private final double phase;

        private Tables(double z) {
            this.z = z;
            for (int i = 0; i < BINS; i++) {
                double theta = -Math.PI + (i + 0.5) * 2 * Math.PI / BINS;
                gyri[i] = Math.sin(theta * 17 + 2.2 * Math.sin(theta * 5 + z * 0.07) + z * 0.05);
                sulci[i] = Math.sin(theta * 13 + 1.7 * Math.sin(z * 0.09 + theta * 3) + z * 0.12);
                csf[i] = 1.3 + 0.5 * (0.5 + 0.5 * Math.sin(theta * 3 + z * 0.04));
            }
            phase = z * 0.1;
        }

        static Tables of(double z) {
            Tables t = LAST.get();
            if (t == null || t.z != z) {
                t = new Tables(z);
                LAST.set(t);
            }
            return t;
        }

        double texture(double x, double y) {
            double a = x * 0.21 + y * 0.13;
            double b = y * 0.17 - phase;
            return tri(a) * tri(b);
        }

        /** A triangle wave in [-1, 1] with period 2 pi: sine-like texture without a sine. */
        private static double tri(double v) {
            double u = v / (2 * Math.PI);
            u -= Math.floor(u);
            return u < 0.5 ? 4 * u - 1 : 3 - 4 * u;
        }
    }

    /** Honeycomb of air cells with bony septa. */
    private static double cells(double x, double y, double z, double size) {
        double c = Math.sin(x * Math.PI / size) * Math.sin(y * Math.PI / size) * Math.sin(z * Math.PI / size + 0.5);
        return Math.abs(c) > 0.18 ? AIR + 50 : 700;
    }

    private static final double[] COS = new double[181];
    private static final double[] SIN = new double[181];

    static {
        for (int d = -90; d <= 90; d++) {
            COS[d + 90] = Math.cos(Math.toRadians(d));
            SIN[d + 90] = Math.sin(Math.toRadians(d));
        }
    }

    /** Inside an ellipse with half axes a, b rotated by {@code degrees} (whole degrees, -90..90). */
    private static boolean inRotatedEllipse(double dx, double dy, double a, double b, int degrees) {
        if (a <= 0 || b <= 0 || Math.abs(dx) > a + b || Math.abs(dy) > a + b) {
            return false;
        }
        double c = COS[degrees + 90];
        double s = SIN[degrees + 90];
        double u = dx * c - dy * s;
        double v = dx * s + dy * c;
        return (u * u) / (a * a) + (v * v) / (b * b) <= 1;
    }

    /** 0 outside [z0, z3], ramps to 1 on [z1, z2]. */
    private static double profile(double z, double z0, double z1, double z2, double z3) {
        if (z <= z0 || z >= z3) {
            return 0;
        }
        if (z < z1) {
            return (z - z0) / (z1 - z0);
        }
        if (z > z2) {
            return (z3 - z) / (z3 - z2);
        }
        return 1;
    }

    private static double clamp(double v) {
        return Math.max(0, Math.min(1, v));
    }
}
