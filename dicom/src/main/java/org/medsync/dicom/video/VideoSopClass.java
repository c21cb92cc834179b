package org.medsync.dicom.video;

/** The DICOM video storage SOP classes MedSync writes, with the modality each is used with. */
public enum VideoSopClass {
    /** Video Endoscopic Image Storage: endoscopic and laparoscopic procedures. */
    ENDOSCOPIC("1.2.840.10008.5.1.4.1.1.77.1.1.1", "ES"),
    /** Video Photographic Image Storage: open surgery filmed by a room or head camera. */
    PHOTOGRAPHIC("1.2.840.10008.5.1.4.1.1.77.1.4.1", "XC");

    private final String uid;
    private final String modality;

    VideoSopClass(String uid, String modality) {
        this.uid = uid;
        this.modality = modality;
    }

    public String uid() {
        return uid;
    }

    /** Modality (0008,0060) the IOD requires: ES for endoscopy, XC for external-camera photography. */
    public String modality() {
        return modality;
    }
}
