package io.vmworkers.it.inprocess;

/** A mutable object of the application: what crosses is a copy. */
public class Order {

	private String item;

	private int quantity;

	private boolean confirmed;

	public Order() {
	}

	public Order(String item, int quantity) {
		this.item = item;
		this.quantity = quantity;
	}

	public String getItem() {
		return this.item;
	}

	public int getQuantity() {
		return this.quantity;
	}

	public void setQuantity(int quantity) {
		this.quantity = quantity;
	}

	public boolean isConfirmed() {
		return this.confirmed;
	}

	public void setConfirmed(boolean confirmed) {
		this.confirmed = confirmed;
	}

}
