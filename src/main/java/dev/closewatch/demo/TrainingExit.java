package dev.closewatch.demo;

/**
 * What happens once a training run is done: in the image build, the process exits (and
 * the JVM writes its AOT cache); a test keeps the report instead.
 */
@FunctionalInterface
interface TrainingExit {

	void done(TrainingReport report);

}
