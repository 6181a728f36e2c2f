package io.vmworkers.it.readonly;

import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class ReadOnlyApplication {

}
