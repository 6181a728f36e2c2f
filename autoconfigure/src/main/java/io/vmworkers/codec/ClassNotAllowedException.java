package io.vmworkers.codec;

/**
 * Thrown when an object graph crossing a channel contains a class outside the allow-list.
 *
 * <p>Raised at the sender while encoding and at the receiver while decoding; on the decoding side the refused class
 * has been loaded but never initialized.
 */
public final class ClassNotAllowedException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final String refusedClassName;

	/**
	 * Creates the exception for a refused class.
	 *
	 * @param refusedClassName binary name of the refused class (the component class for arrays)
	 */
	public ClassNotAllowedException(String refusedClassName) {
		super("class " + refusedClassName + " is not allowed on the channel; add its package to "
				+ "vmworkers.serialization.allowed-packages");
		this.refusedClassName = refusedClassName;
	}

	/**
	 * Returns the binary name of the refused class.
	 *
	 * @return the refused class name, for arrays the name of the innermost component class
	 */
	public String getRefusedClassName() {
		return refusedClassName;
	}
}
